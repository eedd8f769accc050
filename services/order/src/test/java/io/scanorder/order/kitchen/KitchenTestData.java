package io.scanorder.order.kitchen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/** Test data for kitchen tests: extra order lines at other stations. */
final class KitchenTestData {
    private KitchenTestData() {}

    /** Adds line {@code lineNo} of 1000 fen each to an order. */
    static void addLine(
            DataSource dataSource,
            UUID order,
            int lineNo,
            String station,
            String name,
            int qty,
            String note)
            throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO order_lines (order_id, line_no, sku_code, spu_code,"
                                        + " name, station, unit_price_fen, quantity,"
                                        + " line_total_fen, note)"
                                        + " VALUES (?, ?, 'SKU-X', 'SPU-X', ?, ?, 1000, ?, ?, ?)")) {
            c.setAutoCommit(true);
            ps.setObject(1, order);
            ps.setInt(2, lineNo);
            ps.setString(3, name);
            ps.setString(4, station);
            ps.setInt(5, qty);
            ps.setLong(6, 1000L * qty);
            ps.setString(7, note);
            ps.executeUpdate();
        }
    }
}
