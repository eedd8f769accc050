package io.scanorder.order.placement;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Per-store, per-business-day pickup numbers: A001..A999, then B001..Z999, then Z1000 on. The
 * counter row is incremented inside the placing transaction, so two concurrent placements conflict
 * (one is retried after 40001 and takes the next number) instead of sharing a number.
 */
final class PickupNumbers {
    /** Numbers per letter: 001..999. */
    static final int PER_LETTER = 999;

    private PickupNumbers() {}

    /** The display form of the {@code n}th order of a day (n >= 1). */
    static String format(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("pickup sequence starts at 1, got " + n);
        }
        int letter = (n - 1) / PER_LETTER;
        if (letter >= 26) {
            // Beyond Z999 (25,974 orders in a day) keep counting under Z rather than wrap.
            return "Z" + (n - 25 * PER_LETTER);
        }
        return String.format("%c%03d", (char) ('A' + letter), (n - 1) % PER_LETTER + 1);
    }

    /** Increments the store's counter for {@code businessDay} and returns the new value. */
    static int next(Connection c, UUID storeId, String businessDay) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO pickup_counters (store_id, business_day, last_number)"
                                + " VALUES (?, ?, 1) ON CONFLICT (store_id, business_day)"
                                + " DO UPDATE SET last_number = pickup_counters.last_number + 1,"
                                + " updated_at = now() RETURNING last_number")) {
            ps.setObject(1, storeId);
            ps.setString(2, businessDay);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
