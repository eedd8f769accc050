package io.scanorder.order.kitchen;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kitchen metrics (docs/operations.md, metrics contract). Gauges are re-read from the database so
 * every replica reports the same figures; the print latency histogram and the counters are this
 * replica's.
 */
@ApplicationScoped
public class KitchenMetrics {
    static final String DEVICE_ONLINE = "scanorder.device.online";
    static final String DEVICE_ALARM = "scanorder.device.alarm.active";
    static final String DEVICE_HEARTBEAT = "scanorder.device.last.heartbeat.seconds";
    static final String DEVICE_PAPER = "scanorder.device.paper.state";
    static final String DEVICE_CONFIG = "scanorder.device.config.current";
    static final String TICKETS_PENDING = "scanorder.kitchen.tickets.pending";
    static final String OUTBOX_BACKLOG = "scanorder.outbox.backlog";
    static final String OUTBOX_OLDEST = "scanorder.outbox.oldest.pending.seconds";
    static final String HEARTBEATS_QUEUED = "scanorder.device.heartbeats.queued";
    static final String UNCERTAIN = "scanorder.kitchen.tickets.uncertain";
    private static final List<String> ALARMS =
            List.of("PAPER_OUT", "PAPER_LOW", "COVER_OPEN", "PRINTER_UNREACHABLE");

    private final MeterRegistry registry;
    private final MultiGauge online;
    private final MultiGauge alarms;
    private final MultiGauge heartbeat;
    private final MultiGauge paper;
    private final MultiGauge configCurrent;
    private final MultiGauge pending;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();
    private final Timer latency;

    @Inject
    public KitchenMetrics(MeterRegistry registry) {
        this.registry = registry;
        // the global registry outlives an application restart in the same JVM (tests)
        for (String name :
                List.of(
                        DEVICE_ONLINE,
                        DEVICE_ALARM,
                        DEVICE_HEARTBEAT,
                        DEVICE_PAPER,
                        DEVICE_CONFIG,
                        TICKETS_PENDING,
                        OUTBOX_BACKLOG,
                        OUTBOX_OLDEST)) {
            registry.find(name).gauges().forEach(registry::remove);
        }
        online =
                MultiGauge.builder(DEVICE_ONLINE)
                        .description("1 while the device is online (heartbeats arrive), else 0")
                        .register(registry);
        alarms =
                MultiGauge.builder(DEVICE_ALARM)
                        .description("1 while the device has the alarm raised, else 0")
                        .register(registry);
        heartbeat =
                MultiGauge.builder(DEVICE_HEARTBEAT)
                        .description("Unix time of the device's last heartbeat (0 if never)")
                        .register(registry);
        paper =
                MultiGauge.builder(DEVICE_PAPER)
                        .description("Paper: 0 OK, 1 LOW, 2 OUT, -1 unknown")
                        .register(registry);
        configCurrent =
                MultiGauge.builder(DEVICE_CONFIG)
                        .description(
                                "1 when the device's last heartbeat reported the config revision"
                                        + " last pushed to it, else 0")
                        .register(registry);
        pending =
                MultiGauge.builder(TICKETS_PENDING)
                        .description("Kitchen tickets not yet printed, by the device they go to")
                        .register(registry);
        io.micrometer.core.instrument.Gauge.builder(OUTBOX_BACKLOG, backlog, AtomicLong::get)
                .description("Kitchen ticket outbox rows not yet acknowledged by a device")
                .strongReference(true)
                .register(registry);
        io.micrometer.core.instrument.Gauge.builder(OUTBOX_OLDEST, oldestSeconds, AtomicLong::get)
                .description("Age of the oldest kitchen ticket not yet acknowledged (0 if none)")
                .strongReference(true)
                .register(registry);
        latency =
                Timer.builder("scanorder.ticket.print.latency")
                        .description(
                                "From order acceptance to the device's first ack (printed, or"
                                        + " displayed on a KDS tablet)")
                        .publishPercentileHistogram()
                        .minimumExpectedValue(Duration.ofMillis(50))
                        .maximumExpectedValue(Duration.ofMinutes(10))
                        .register(registry);
    }

    /** A ticket's first printed ack. */
    void printed(Duration sinceAccepted) {
        if (sinceAccepted != null && !sinceAccepted.isNegative()) {
            latency.record(sinceAccepted);
        }
    }

    /** An ack for a ticket already acked (ignored). */
    void duplicateAck() {
        Counter.builder("scanorder.kitchen.acks.duplicate")
                .description(
                        "Acks that change nothing (ignored): printed acks for tickets already"
                                + " acknowledged, KDS acks repeating or behind the recorded status")
                .register(registry)
                .increment();
    }

    /**
     * A ticket that may be on paper at {@code device} (INTERRUPTED ack): parked for staff, not
     * routed to another device.
     */
    void uncertainTicket(String store, String device) {
        Counter.builder(UNCERTAIN)
                .description(
                        "Kitchen tickets a device answered INTERRUPTED (maybe on paper): not sent"
                                + " to another printer, left for staff to check")
                .tag("store", store)
                .tag("device", device)
                .register(registry)
                .increment();
    }

    /** How many tickets {@code device} of {@code store} left uncertain (for tests). */
    double uncertain(String store, String device) {
        Counter c = registry.find(UNCERTAIN).tag("store", store).tag("device", device).counter();
        return c == null ? 0 : c.count();
    }

    /** A KDS ack from a device the ticket is not routed to (ignored), by its status. */
    void refusedAck(String status) {
        Counter.builder("scanorder.kitchen.acks.refused")
                .description(
                        "KDS acks refused because the ticket is not routed to the sending device"
                                + " or it is not a registered KDS tablet, by status")
                .tag("status", status)
                .register(registry)
                .increment();
    }

    double refused(String status) {
        Counter c = registry.find("scanorder.kitchen.acks.refused").tag("status", status).counter();
        return c == null ? 0 : c.count();
    }

    /** A device payload that could not be used. */
    void rejectedPayload(String channel) {
        Counter.builder("scanorder.mqtt.payloads.rejected")
                .description("MQTT payloads from devices dropped as unreadable, by channel")
                .tag("channel", channel)
                .register(registry)
                .increment();
    }

    /** How many payloads of {@code channel} were rejected (for tests and the log). */
    double rejected(String channel) {
        Counter c =
                registry.find("scanorder.mqtt.payloads.rejected").tag("channel", channel).counter();
        return c == null ? 0 : c.count();
    }

    /** Watches the heartbeat queue's length (the gauge of the previous queue, if any, goes). */
    void watchHeartbeatQueue(java.util.function.Supplier<Number> size) {
        registry.find(HEARTBEATS_QUEUED).gauges().forEach(registry::remove);
        io.micrometer.core.instrument.Gauge.builder(HEARTBEATS_QUEUED, size)
                .description(
                        "Device heartbeats received and waiting to be written (one per device at"
                                + " most)")
                .strongReference(true)
                .register(registry);
    }

    /** Heartbeats written to the database. */
    void heartbeatsRecorded(int n) {
        Counter.builder("scanorder.device.heartbeats.recorded")
                .description("Device heartbeats written to the database (this replica)")
                .register(registry)
                .increment(n);
    }

    /** A heartbeat not written: {@code superseded} by a newer one or {@code queue_full}. */
    void heartbeatDropped(String reason) {
        Counter.builder("scanorder.device.heartbeats.dropped")
                .description(
                        "Device heartbeats never written: superseded (a newer heartbeat of the"
                                + " device arrived while it waited) or queue_full")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    double heartbeatsDropped(String reason) {
        Counter c =
                registry.find("scanorder.device.heartbeats.dropped")
                        .tag("reason", reason)
                        .counter();
        return c == null ? 0 : c.count();
    }

    /** Devices the offline sweep marked offline. */
    void devicesMarkedOffline(int n) {
        Counter.builder("scanorder.device.offline.marked")
                .description(
                        "Devices marked offline after 3 heartbeat intervals of silence (this"
                                + " replica's sweeps)")
                .register(registry)
                .increment(n);
    }

    /** A device health write that failed ({@code heartbeats} batch or {@code offline-sweep}). */
    void healthWriteFailed(String what) {
        Counter.builder("scanorder.device.health.write.failures")
                .description(
                        "Device health writes that failed (heartbeats put back and retried; the"
                                + " offline sweep retried next sweep), by what")
                .tag("what", what)
                .register(registry)
                .increment();
    }

    double duplicates() {
        Counter c = registry.find("scanorder.kitchen.acks.duplicate").counter();
        return c == null ? 0 : c.count();
    }

    /**
     * Declares the transaction on {@code c} read-only (its first statement): PostgreSQL's
     * serializable checks then count what a refresh read against a concurrent writer (such as an
     * acceptance) only in the rare case that matters for a reader, so refreshes stop aborting
     * writers; CockroachDB accepts the same statement.
     */
    static void readOnly(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET TRANSACTION READ ONLY");
        }
    }

    /** Re-reads the device and outbox gauges. */
    void refresh(Transactions transactions) {
        Instant now = Instant.now();
        transactions.inTransaction(
                "kitchen-metrics",
                c -> {
                    readOnly(c);
                    List<MultiGauge.Row<?>> onlineRows = new ArrayList<>();
                    List<MultiGauge.Row<?>> alarmRows = new ArrayList<>();
                    List<MultiGauge.Row<?>> heartbeatRows = new ArrayList<>();
                    List<MultiGauge.Row<?>> paperRows = new ArrayList<>();
                    List<MultiGauge.Row<?>> configRows = new ArrayList<>();
                    Map<String, Set<String>> raised = new HashMap<>();
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT s.store_code, a.device_id, a.alarm FROM"
                                                    + " kitchen_device_alarms a JOIN stores s"
                                                    + " ON s.store_id = a.store_id");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            raised.computeIfAbsent(
                                            rs.getString(1) + "/" + rs.getString(2),
                                            k -> new TreeSet<>())
                                    .add(rs.getString(3));
                        }
                    }
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT s.store_code, d.device_id, d.role, d.online,"
                                                    + " d.last_heartbeat_at, d.paper_state,"
                                                    + " st.station, d.config_revision,"
                                                    + " d.applied_config_revision"
                                                    + " FROM kitchen_devices d"
                                                    + " JOIN stores s ON s.store_id = d.store_id"
                                                    + " JOIN kitchen_device_stations st"
                                                    + " ON st.store_id = d.store_id"
                                                    + " AND st.device_id = d.device_id"
                                                    + " WHERE d.deregistered_at IS NULL");
                            ResultSet rs = ps.executeQuery()) {
                        Set<String> seen = new TreeSet<>();
                        while (rs.next()) {
                            String store = rs.getString(1);
                            String device = rs.getString(2);
                            String station = rs.getString(7);
                            String role = rs.getString(3).toLowerCase(java.util.Locale.ROOT);
                            Tags tags = Tags.of("store", store, "device", device);
                            onlineRows.add(
                                    MultiGauge.Row.of(
                                            tags.and("station", station, "role", role),
                                            rs.getBoolean(4) ? 1 : 0));
                            Set<String> active =
                                    raised.getOrDefault(store + "/" + device, Set.of());
                            for (String alarm : ALARMS) {
                                alarmRows.add(
                                        MultiGauge.Row.of(
                                                tags.and("station", station, "alarm", alarm),
                                                active.contains(alarm) ? 1 : 0));
                            }
                            if (seen.add(store + "/" + device)) {
                                Timestamp hb = rs.getTimestamp(5);
                                heartbeatRows.add(
                                        MultiGauge.Row.of(
                                                tags, hb == null ? 0 : hb.getTime() / 1000.0));
                                paperRows.add(MultiGauge.Row.of(tags, paperValue(rs.getString(6))));
                                String pushed = rs.getString(8);
                                if (!pushed.isEmpty()) {
                                    // no row before the device's first registration with a push
                                    configRows.add(
                                            MultiGauge.Row.of(
                                                    tags, pushed.equals(rs.getString(9)) ? 1 : 0));
                                }
                            }
                        }
                    }
                    List<MultiGauge.Row<?>> pendingRows = new ArrayList<>();
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT s.store_code, COALESCE(t.device_id, ''),"
                                                    + " count(*) FROM kitchen_tickets t"
                                                    + " JOIN orders o ON o.order_id = t.order_id"
                                                    + " JOIN stores s ON s.store_id = o.store_id"
                                                    + " WHERE t.state <> 'ACKED'"
                                                    // parked for staff: nothing left to send
                                                    + " AND NOT (t.state = 'FAILED' AND"
                                                    + " COALESCE(t.failure_reason, '') ="
                                                    + " 'INTERRUPTED')"
                                                    + " GROUP BY s.store_code, t.device_id");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String device = rs.getString(2);
                            pendingRows.add(
                                    MultiGauge.Row.of(
                                            Tags.of(
                                                    "store",
                                                    rs.getString(1),
                                                    "device",
                                                    device.isEmpty() ? "none" : device),
                                            rs.getLong(3)));
                        }
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT count(*), min(created_at) FROM outbox"
                                            + " WHERE completed_at IS NULL"
                                            + " AND aggregate_type = ?")) {
                        ps.setString(1, KitchenTicketWriter.AGGREGATE_TYPE);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            backlog.set(rs.getLong(1));
                            Timestamp oldest = rs.getTimestamp(2);
                            oldestSeconds.set(
                                    oldest == null
                                            ? 0
                                            : Math.max(
                                                    0,
                                                    Duration.between(oldest.toInstant(), now)
                                                            .toSeconds()));
                        }
                    }
                    online.register(onlineRows, true);
                    alarms.register(alarmRows, true);
                    heartbeat.register(heartbeatRows, true);
                    paper.register(paperRows, true);
                    configCurrent.register(configRows, true);
                    pending.register(pendingRows, true);
                    return null;
                });
    }

    private static int paperValue(String state) {
        return switch (state) {
            case "OK" -> 0;
            case "LOW" -> 1;
            case "OUT" -> 2;
            default -> -1;
        };
    }
}
