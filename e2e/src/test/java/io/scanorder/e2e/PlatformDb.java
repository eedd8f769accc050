package io.scanorder.e2e;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Read-only SQL against the platform's databases, to count what a drill created. */
final class PlatformDb {
    private final LocalPlatform platform;

    PlatformDb(LocalPlatform platform) {
        this.platform = platform;
    }

    /** {@code SELECT count(*) ...} in the order database. */
    long orders(String sql, Object... args) throws SQLException {
        return count(LocalPlatform.ORDER_DATABASE, sql, args);
    }

    /** {@code SELECT count(*) ...} in the payment database. */
    long payments(String sql, Object... args) throws SQLException {
        return count(LocalPlatform.PAYMENT_DATABASE, sql, args);
    }

    /** The first column of the first row, as text (null when there is no row). */
    String orderText(String sql, Object... args) throws SQLException {
        try (Connection c = platform.postgres().connect(LocalPlatform.ORDER_DATABASE);
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long count(String db, String sql, Object... args) throws SQLException {
        try (Connection c = platform.postgres().connect(db);
                PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
