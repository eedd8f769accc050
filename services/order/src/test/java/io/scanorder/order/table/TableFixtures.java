package io.scanorder.order.table;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.IntStream;
import javax.sql.DataSource;

/** Store specs and direct key reads shared by the table ITs. */
final class TableFixtures {
    private TableFixtures() {}

    /** Area 0001 "Main hall" with tables 1..{@code hall}, area 0002 "Terrace" with 10 and 12. */
    static StoreTables store(String storeCode, String name, int hall) {
        return new StoreTables(
                storeCode,
                name,
                List.of(
                        new StoreTables.Area(
                                "0001",
                                "Main hall",
                                4,
                                IntStream.rangeClosed(1, hall).boxed().toList()),
                        new StoreTables.Area("0002", "Terrace", 2, List.of(10, 12))));
    }

    /**
     * The store's current signing key, read straight from the database: tests use it to sign codes
     * for tables that were never registered, which no API would hand out.
     */
    static TableKey currentKey(DataSource dataSource, String storeCode) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement st =
                        c.prepareStatement(
                                "SELECT k.key_version, k.secret FROM store_table_keys k"
                                        + " JOIN stores s ON s.store_id = k.store_id"
                                        + " WHERE s.store_code = ? ORDER BY k.key_version DESC"
                                        + " LIMIT 1")) {
            st.setString(1, storeCode);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("store " + storeCode + " has no key");
                }
                return new TableKey(rs.getInt(1), rs.getBytes(2));
            }
        }
    }
}
