package io.scanorder.order.kitchen;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Chooses the device a station's ticket goes to: a healthy primary, else a healthy backup, else
 * (nobody healthy) the primary anyway, whose persistent MQTT session keeps the ticket until it is
 * back. Healthy means online (heartbeats arrive) with no PAPER_OUT, COVER_OPEN or
 * PRINTER_UNREACHABLE alarm. A device that refused the ticket (FAILED ack) is never chosen again
 * for that ticket: its agent would only repeat the refusal.
 */
final class DeviceRouter {

    /** A device of a station and what routing needs to know about it. */
    record Candidate(String deviceId, boolean primary, boolean healthy, int copies) {}

    private DeviceRouter() {}

    /** The device to send a ticket of {@code station} to, if the store has any. */
    static Optional<Candidate> route(Connection c, UUID storeId, String station, String refusedBy)
            throws SQLException {
        return candidates(c, storeId, station).stream()
                .filter(d -> !d.deviceId().equals(refusedBy))
                .min(
                        Comparator.comparing((Candidate d) -> !d.healthy())
                                .thenComparing(d -> !d.primary())
                                .thenComparing(Candidate::deviceId));
    }

    /** Device {@code deviceId}, healthy or not, if it is registered for {@code station}. */
    static Optional<Candidate> device(Connection c, UUID storeId, String station, String deviceId)
            throws SQLException {
        return candidates(c, storeId, station).stream()
                .filter(d -> d.deviceId().equals(deviceId))
                .findFirst();
    }

    private static List<Candidate> candidates(Connection c, UUID storeId, String station)
            throws SQLException {
        List<Candidate> candidates = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT d.device_id, d.role, d.online, d.copies,"
                                + " (SELECT count(*) FROM kitchen_device_alarms a"
                                + "   WHERE a.store_id = d.store_id AND a.device_id = d.device_id"
                                + "   AND a.alarm IN ('PAPER_OUT', 'COVER_OPEN',"
                                + " 'PRINTER_UNREACHABLE'))"
                                + " FROM kitchen_devices d JOIN kitchen_device_stations s"
                                + " ON s.store_id = d.store_id AND s.device_id = d.device_id"
                                + " WHERE d.store_id = ? AND s.station = ?"
                                + " AND d.deregistered_at IS NULL"
                                + " AND d.device_type IN ('PRINTER', 'KDS_TABLET')")) {
            ps.setObject(1, storeId);
            ps.setString(2, station);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    candidates.add(
                            new Candidate(
                                    id,
                                    "PRIMARY".equals(rs.getString(2)),
                                    rs.getBoolean(3) && rs.getLong(5) == 0,
                                    rs.getInt(4)));
                }
            }
        }
        return candidates;
    }
}
