package io.scanorder.order.kitchen;

import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

    /** Field-injected so the constructor stays as it is for callers that build this directly. */
    @Inject HeartbeatWriter heartbeats;

    @Inject KitchenMetrics metrics;
    @Inject KitchenConfig config;

    @Inject
    public DeviceHealthUpdates(Transactions transactions) {
        this.transactions = transactions;
    }

    /** A parsed heartbeat. */
    record Heartbeat(
            String paper,
            String cover,
            String printer,
            int queueDepth,
            String agentVersion,
            String configRevision) {

        /** A heartbeat of an agent that does not report a config revision. */
        Heartbeat(String paper, String cover, String printer, int queueDepth, String agentVersion) {
            this(paper, cover, printer, queueDepth, agentVersion, null);
        }
    }

    /**
     * Records heartbeats in one statement and one transaction (the batch the heartbeat writer took
     * from its queue; at most one per device). A heartbeat older than the one recorded is skipped,
     * and so are heartbeats of unregistered devices. Returns how many were recorded.
     */
    int recordHeartbeats(List<HeartbeatQueue.Beat> beats) {
        if (beats.isEmpty()) {
            return 0;
        }
        StringBuilder sql =
                new StringBuilder(
                        "UPDATE kitchen_devices AS d SET last_heartbeat_at = v.at, online = true,"
                                + " paper_state = v.paper, cover_state = v.cover,"
                                + " printer_state = v.printer, queue_depth = v.depth,"
                                + " agent_version = v.version,"
                                // agents before config push send no revision: keep what is known
                                + " applied_config_revision ="
                                + " COALESCE(v.config_revision, d.applied_config_revision),"
                                + " updated_at = v.at FROM (VALUES ");
        for (int i = 0; i < beats.size(); i++) {
            // explicit casts: the driver sends timestamps untyped, and VALUES takes its column
            // types from the first row on PostgreSQL
            sql.append(i == 0 ? "" : ", ")
                    .append(
                            "(CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TIMESTAMPTZ),"
                                    + " CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT),"
                                    + " CAST(? AS INT4), CAST(? AS TEXT), CAST(? AS TEXT))");
        }
        sql.append(
                ") AS v (store_code, device_id, at, paper, cover, printer, depth, version,"
                        + " config_revision)"
                        + " JOIN stores AS s ON s.store_code = v.store_code"
                        + " WHERE d.store_id = s.store_id AND d.device_id = v.device_id"
                        + " AND d.deregistered_at IS NULL"
                        + " AND (d.last_heartbeat_at IS NULL OR d.last_heartbeat_at < v.at)");
        String statement = sql.toString();
        return transactions.inTransaction(
                "device-heartbeats",
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(statement)) {
                        int p = 1;
                        for (HeartbeatQueue.Beat b : beats) {
                            Heartbeat hb = b.heartbeat();
                            ps.setString(p++, b.storeCode());
                            ps.setString(p++, b.deviceId());
                            ps.setTimestamp(p++, Timestamp.from(b.at()));
                            ps.setString(p++, hb.paper());
                            ps.setString(p++, hb.cover());
                            ps.setString(p++, hb.printer());
                            ps.setInt(p++, hb.queueDepth());
                            ps.setString(p++, hb.agentVersion());
                            ps.setString(p++, hb.configRevision());
                        }
                        return ps.executeUpdate();
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

    /** A device the sweep found silent, with the heartbeat time it judged by. */
    record Silent(UUID storeId, String storeCode, String deviceId, Instant lastSeen) {
        String name() {
            return storeCode + "/" + deviceId;
        }
    }

    /**
     * Marks devices offline that have been silent for {@value #MISSED_HEARTBEATS} heartbeat
     * intervals (measured from the last heartbeat, or from when they were last seen online), and
     * routes their tickets elsewhere. Returns the devices marked offline ("store/device").
     */
    List<String> markSilentDevicesOffline(Instant now) {
        return markSilentDevicesOffline(now, () -> {});
    }

    /**
     * The sweep: reads the candidates, then marks them offline in small transactions of {@code
     * offlineBatchSize} devices each. Every update re-checks that the device is still online and
     * has sent nothing since it was read, so a heartbeat recorded in between wins and the device
     * stays online. A batch that fails is left for the next sweep; the others still commit. Logs
     * one line after the commits. {@code afterRead} runs between reading and marking (tests).
     */
    List<String> markSilentDevicesOffline(Instant now, Runnable afterRead) {
        List<Silent> candidates = silentDevices(now);
        afterRead.run();
        if (heartbeats != null) {
            // a heartbeat received but not yet written keeps its device online
            candidates.removeIf(d -> heartbeats.isWaiting(d.storeCode(), d.deviceId()));
        }
        List<String> marked = new ArrayList<>();
        int rerouted = 0;
        int failed = 0;
        String firstError = null;
        for (int from = 0; from < candidates.size(); from += offlineBatchSize()) {
            List<Silent> batch =
                    candidates.subList(
                            from, Math.min(candidates.size(), from + offlineBatchSize()));
            try {
                int[] tickets = new int[1];
                List<String> done =
                        transactions.inTransaction(
                                "device-offline-mark",
                                c -> {
                                    tickets[0] = 0;
                                    return markOffline(c, batch, now, tickets);
                                });
                marked.addAll(done);
                rerouted += tickets[0];
            } catch (RuntimeException e) {
                failed += batch.size();
                if (firstError == null) {
                    firstError = e.getMessage();
                }
            }
        }
        if (!marked.isEmpty()) {
            LOG.warnf(
                    "offline sweep: %d device(s) sent no heartbeat for %d intervals and are now"
                            + " offline (%s); %d unacknowledged ticket(s) go to their stations'"
                            + " backups",
                    marked.size(), MISSED_HEARTBEATS, sample(marked), rerouted);
            if (metrics != null) {
                metrics.devicesMarkedOffline(marked.size());
            }
        }
        if (failed > 0) {
            if (metrics != null) {
                metrics.healthWriteFailed("offline-sweep");
            }
            LOG.warnf(
                    "offline sweep could not mark %d silent device(s) offline this time (retried next"
                            + " sweep): %s",
                    failed, firstError);
        }
        return marked;
    }

    /** Online devices silent past their allowance, as of {@code now}. */
    List<Silent> silentDevices(Instant now) {
        return transactions.inTransaction(
                "device-offline-candidates",
                c -> {
                    List<Silent> silent = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT d.store_id, s.store_code, d.device_id,"
                                            + " COALESCE(d.last_heartbeat_at, d.updated_at)"
                                            + " FROM kitchen_devices d JOIN stores s"
                                            + " ON s.store_id = d.store_id"
                                            + " WHERE d.online AND d.deregistered_at IS NULL"
                                            + " AND COALESCE(d.last_heartbeat_at, d.updated_at)"
                                            + " + d.heartbeat_interval_seconds * "
                                            + MISSED_HEARTBEATS
                                            + " * INTERVAL '1 second' < ?"
                                            + " ORDER BY s.store_code, d.device_id")) {
                        ps.setTimestamp(1, Timestamp.from(now));
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                silent.add(
                                        new Silent(
                                                (UUID) rs.getObject(1),
                                                rs.getString(2),
                                                rs.getString(3),
                                                rs.getTimestamp(4).toInstant()));
                            }
                        }
                    }
                    return silent;
                });
    }

    private static List<String> markOffline(
            Connection c, List<Silent> batch, Instant now, int[] tickets) throws SQLException {
        List<String> marked = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE kitchen_devices SET online = false, updated_at = ?"
                                + " WHERE store_id = ? AND device_id = ? AND online"
                                + " AND deregistered_at IS NULL"
                                + " AND COALESCE(last_heartbeat_at, updated_at) <= ?")) {
            for (Silent d : batch) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setObject(2, d.storeId());
                ps.setString(3, d.deviceId());
                ps.setTimestamp(4, Timestamp.from(d.lastSeen()));
                if (ps.executeUpdate() == 1) {
                    tickets[0] += rerouteTicketsOf(c, d.storeId(), d.deviceId());
                    marked.add(d.name());
                }
            }
        }
        return marked;
    }

    private int offlineBatchSize() {
        return config == null ? 50 : Math.max(1, config.health().offlineBatchSize());
    }

    private static String sample(List<String> names) {
        int shown = Math.min(5, names.size());
        String head = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? head + ", and " + (names.size() - shown) + " more" : head;
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
