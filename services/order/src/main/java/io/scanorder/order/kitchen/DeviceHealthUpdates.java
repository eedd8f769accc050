package io.scanorder.order.kitchen;

import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes the health devices report (heartbeats, alarms, status) and what the service concludes
 * (offline after three silent heartbeat intervals). Whenever a device stops being able to print
 * (silent, PAPER_OUT, COVER_OPEN, PRINTER_UNREACHABLE, deregistered), its unacknowledged tickets
 * are made due at once so the dispatcher routes them to the station's backup; a device that says
 * offline (its last will) first gets one heartbeat interval to come back and finish them itself.
 */
@ApplicationScoped
public class DeviceHealthUpdates {
    private static final Logger LOG = Logger.getLogger(DeviceHealthUpdates.class);

    /** Alarms that stop a device from printing. */
    static final Set<String> BLOCKING_ALARMS =
            Set.of("PAPER_OUT", "COVER_OPEN", "PRINTER_UNREACHABLE");

    /** Heartbeat intervals without a heartbeat after which a device is offline. */
    static final int MISSED_HEARTBEATS = 3;

    private final Transactions transactions;

    @Inject
    public DeviceHealthUpdates(Transactions transactions) {
        this.transactions = transactions;
    }

    /** A parsed heartbeat. */
    record Heartbeat(
            String paper, String cover, String printer, int queueDepth, String agentVersion) {}

    /** Records a heartbeat; false when the device is not registered. */
    boolean heartbeat(String storeCode, String deviceId, Heartbeat hb, Instant at) {
        return transactions.inTransaction(
                "device-heartbeat",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE kitchen_devices SET last_heartbeat_at = ?,"
                                            + " online = true, paper_state = ?, cover_state = ?,"
                                            + " printer_state = ?, queue_depth = ?,"
                                            + " agent_version = ?, updated_at = ?"
                                            + " WHERE device_id = ? AND deregistered_at IS NULL"
                                            + " AND store_id = (SELECT store_id FROM stores"
                                            + " WHERE store_code = ?)")) {
                        Timestamp now = Timestamp.from(at);
                        ps.setTimestamp(1, now);
                        ps.setString(2, hb.paper());
                        ps.setString(3, hb.cover());
                        ps.setString(4, hb.printer());
                        ps.setInt(5, hb.queueDepth());
                        ps.setString(6, hb.agentVersion());
                        ps.setTimestamp(7, now);
                        ps.setString(8, deviceId);
                        ps.setString(9, storeCode);
                        return ps.executeUpdate() == 1;
                    }
                });
    }

    /** Records an alarm raised or cleared; false when the device is not registered. */
    boolean alarm(
            String storeCode,
            String deviceId,
            String alarm,
            boolean raised,
            Instant raisedAt,
            String detail) {
        return transactions.inTransaction(
                "device-alarm",
                c -> {
                    UUID storeId = registeredStore(c, storeCode, deviceId);
                    if (storeId == null) {
                        return false;
                    }
                    if (raised) {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "INSERT INTO kitchen_device_alarms (store_id, device_id,"
                                                + " alarm, raised_at, detail)"
                                                + " VALUES (?, ?, ?, ?, ?)"
                                                + " ON CONFLICT (store_id, device_id, alarm)"
                                                + " DO UPDATE SET detail = excluded.detail")) {
                            ps.setObject(1, storeId);
                            ps.setString(2, deviceId);
                            ps.setString(3, alarm);
                            ps.setTimestamp(4, Timestamp.from(raisedAt));
                            ps.setString(5, detail);
                            ps.executeUpdate();
                        }
                        if (BLOCKING_ALARMS.contains(alarm)) {
                            int n = rerouteTicketsOf(c, storeId, deviceId);
                            LOG.infof(
                                    "device %s of store %s raised %s: %d unacknowledged tickets"
                                            + " go to the station's backup",
                                    deviceId, storeCode, alarm, n);
                        }
                    } else {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "DELETE FROM kitchen_device_alarms WHERE store_id = ?"
                                                + " AND device_id = ? AND alarm = ?")) {
                            ps.setObject(1, storeId);
                            ps.setString(2, deviceId);
                            ps.setString(3, alarm);
                            ps.executeUpdate();
                        }
                    }
                    return true;
                });
    }

    /** Records the retained status ({@code online}/{@code offline}, the latter the last will). */
    boolean status(String storeCode, String deviceId, boolean online, Instant at) {
        return transactions.inTransaction(
                "device-status",
                c -> {
                    UUID storeId = registeredStore(c, storeCode, deviceId);
                    if (storeId == null) {
                        return false;
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE kitchen_devices SET online = ?, updated_at = ?"
                                            + " WHERE store_id = ? AND device_id = ?")) {
                        ps.setBoolean(1, online);
                        ps.setTimestamp(2, Timestamp.from(at));
                        ps.setObject(3, storeId);
                        ps.setString(4, deviceId);
                        ps.executeUpdate();
                    }
                    if (!online) {
                        rerouteTicketsAfterGrace(c, storeId, deviceId, at);
                    }
                    return true;
                });
    }

    /**
     * Marks devices offline that have been silent for {@value #MISSED_HEARTBEATS} heartbeat
     * intervals (measured from the last heartbeat, or from when they were last seen online), and
     * routes their tickets elsewhere. Returns the devices marked offline ("store/device").
     */
    List<String> markSilentDevicesOffline(Instant now) {
        return transactions.inTransaction(
                "device-offline-check",
                c -> {
                    List<Object[]> silent = new ArrayList<>();
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT d.store_id, s.store_code, d.device_id,"
                                                    + " d.heartbeat_interval_seconds,"
                                                    + " COALESCE(d.last_heartbeat_at, d.updated_at)"
                                                    + " FROM kitchen_devices d JOIN stores s"
                                                    + " ON s.store_id = d.store_id"
                                                    + " WHERE d.online AND d.deregistered_at IS"
                                                    + " NULL");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Instant last = rs.getTimestamp(5).toInstant();
                            Duration allowed =
                                    Duration.ofSeconds((long) MISSED_HEARTBEATS * rs.getInt(4));
                            if (last.plus(allowed).isBefore(now)) {
                                silent.add(
                                        new Object[] {
                                            rs.getObject(1), rs.getString(2), rs.getString(3), last
                                        });
                            }
                        }
                    }
                    List<String> marked = new ArrayList<>();
                    for (Object[] d : silent) {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "UPDATE kitchen_devices SET online = false, updated_at = ?"
                                                + " WHERE store_id = ? AND device_id = ? AND"
                                                + " online")) {
                            ps.setTimestamp(1, Timestamp.from(now));
                            ps.setObject(2, d[0]);
                            ps.setString(3, (String) d[2]);
                            if (ps.executeUpdate() == 1) {
                                int n = rerouteTicketsOf(c, (UUID) d[0], (String) d[2]);
                                marked.add(d[1] + "/" + d[2]);
                                LOG.warnf(
                                        "device %s of store %s sent no heartbeat since %s (%d"
                                                + " intervals): marked offline, %d unacknowledged"
                                                + " tickets go to the station's backup",
                                        d[2], d[1], d[3], MISSED_HEARTBEATS, n);
                            }
                        }
                    }
                    return marked;
                });
    }

    /**
     * Makes the unacknowledged tickets last sent to a device due now, so the dispatcher routes them
     * again (to the backup while the device cannot print). Returns how many.
     */
    static int rerouteTicketsOf(Connection c, UUID storeId, String deviceId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE outbox SET available_at = ?, claimed_by = NULL,"
                                + " claimed_until = NULL WHERE completed_at IS NULL"
                                + " AND aggregate_id IN (SELECT t.ticket_id FROM kitchen_tickets t"
                                + " JOIN orders o ON o.order_id = t.order_id"
                                + " WHERE o.store_id = ? AND t.device_id = ?"
                                + " AND t.state IN ('PENDING', 'SENT'))")) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            ps.setObject(2, storeId);
            ps.setString(3, deviceId);
            return ps.executeUpdate();
        }
    }

    /**
     * Routes the unacknowledged tickets of a device that just said (or whose last will said) it is
     * offline again once it has had one heartbeat interval to come back, not at once: an agent that
     * restarts, or a link that blips, finishes the tickets it already holds itself (printed, or
     * answered FAILED), where a backup printing them at once would put them on paper twice. A
     * device still offline then loses them to the station's backup (the router skips it).
     */
    static int rerouteTicketsAfterGrace(
            Connection c, UUID storeId, String deviceId, Instant offlineAt) throws SQLException {
        int heartbeatSeconds;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT heartbeat_interval_seconds FROM kitchen_devices"
                                + " WHERE store_id = ? AND device_id = ?")) {
            ps.setObject(1, storeId);
            ps.setString(2, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                heartbeatSeconds = rs.getInt(1);
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE outbox SET available_at = GREATEST(available_at, ?),"
                                + " claimed_by = NULL, claimed_until = NULL"
                                + " WHERE completed_at IS NULL"
                                + " AND aggregate_id IN (SELECT t.ticket_id FROM kitchen_tickets t"
                                + " JOIN orders o ON o.order_id = t.order_id"
                                + " WHERE o.store_id = ? AND t.device_id = ?"
                                + " AND t.state IN ('PENDING', 'SENT'))")) {
            ps.setTimestamp(1, Timestamp.from(offlineAt.plusSeconds(heartbeatSeconds)));
            ps.setObject(2, storeId);
            ps.setString(3, deviceId);
            return ps.executeUpdate();
        }
    }

    private static UUID registeredStore(Connection c, String storeCode, String deviceId)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT d.store_id FROM kitchen_devices d JOIN stores s"
                                + " ON s.store_id = d.store_id WHERE s.store_code = ?"
                                + " AND d.device_id = ? AND d.deregistered_at IS NULL")) {
            ps.setString(1, storeCode);
            ps.setString(2, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? (UUID) rs.getObject(1) : null;
            }
        }
    }
}
