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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * The device registry: which kitchen devices a store has (registered by the operator through
 * DeviceRegistry) and the health observed over MQTT, read back as {@link DeviceHealthView}.
 */
@ApplicationScoped
public class KitchenDevices {
    /** Field-injected so the constructor stays as it is for callers that build this directly. */
    @Inject PickupDisplay display;

    /** Field-injected like {@link #display}; null when this is built directly. */
    @Inject DeviceConfigPush configPush;

    static final Pattern STORE_CODE = Pattern.compile("[0-9]{3}");
    static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    static final Pattern STATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Set<String> TYPES = Set.of("PRINTER", "KDS_TABLET", "LED_BOARD");
    private static final Set<String> ROLES = Set.of("PRIMARY", "BACKUP");

    private final Transactions transactions;
    private final Map<String, ReentrantLock> registrationLocks = new ConcurrentHashMap<>();

    @Inject
    public KitchenDevices(Transactions transactions) {
        this.transactions = transactions;
    }

    /**
     * Registers a device or replaces its registration (idempotent; the latest call wins). A
     * deregistered device registered again is active again.
     *
     * @throws IllegalArgumentException naming the field that is wrong
     * @throws KitchenNotFoundException for an unknown store
     */
    public DeviceHealthView register(DeviceRegistration r) {
        DeviceHealthView view = upsert(r);
        if ("LED_BOARD".equals(r.type()) && display != null) {
            // a board (re)registered, e.g. replaced: give it the current list at once
            display.refreshStore(r.storeCode());
        }
        return view;
    }

    private DeviceHealthView upsert(DeviceRegistration r) {
        validate(r);
        // Registrations of one store run one at a time on this replica: concurrent SERIALIZABLE
        // registrations touch the same index pages and kept aborting each other (40001) until
        // their retries ran out. Across replicas the transaction's 40001 retries still apply.
        ReentrantLock lock =
                registrationLocks.computeIfAbsent(r.storeCode(), k -> new ReentrantLock());
        lock.lock();
        try {
            DeviceHealthView view = write(r);
            if (configPush != null) {
                // after the commit (the agent never sees settings that were rolled back) and
                // under the lock, so this replica pushes a device's registrations in commit order
                configPush.registered(r);
            }
            return view;
        } finally {
            lock.unlock();
        }
    }

    private DeviceHealthView write(DeviceRegistration r) {
        return transactions.inTransaction(
                "device-register",
                c -> {
                    UUID storeId = storeId(c, r.storeCode());
                    Timestamp now = Timestamp.from(Instant.now());
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO kitchen_devices (store_id, device_id,"
                                            + " device_type, role, heartbeat_interval_seconds,"
                                            + " paper_width_mm, copies, cutter, registered_at,"
                                            + " updated_at, config_revision)"
                                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                            + " ON CONFLICT (store_id, device_id) DO UPDATE SET"
                                            + " device_type = excluded.device_type,"
                                            + " role = excluded.role,"
                                            + " heartbeat_interval_seconds ="
                                            + " excluded.heartbeat_interval_seconds,"
                                            + " paper_width_mm = excluded.paper_width_mm,"
                                            + " copies = excluded.copies,"
                                            + " cutter = excluded.cutter,"
                                            + " config_revision = excluded.config_revision,"
                                            + " deregistered_at = NULL,"
                                            + " updated_at = excluded.updated_at")) {
                        ps.setObject(1, storeId);
                        ps.setString(2, r.deviceId());
                        ps.setString(3, r.type());
                        ps.setString(4, r.role());
                        ps.setInt(5, r.heartbeatIntervalSeconds());
                        ps.setObject(6, r.paperWidthMm());
                        ps.setInt(7, r.copies());
                        ps.setBoolean(8, r.cutter());
                        ps.setTimestamp(9, now);
                        ps.setTimestamp(10, now);
                        ps.setString(11, DeviceConfigDocument.of(r).revision());
                        ps.executeUpdate();
                    }
                    // only the stations that changed are written: re-registering the same
                    // device (every operator reconcile) leaves the rows alone
                    Set<String> wanted = new TreeSet<>(r.stations());
                    Set<String> current = new TreeSet<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT station FROM kitchen_device_stations"
                                            + " WHERE store_id = ? AND device_id = ?")) {
                        ps.setObject(1, storeId);
                        ps.setString(2, r.deviceId());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                current.add(rs.getString(1));
                            }
                        }
                    }
                    for (String station : current) {
                        if (!wanted.contains(station)) {
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "DELETE FROM kitchen_device_stations WHERE store_id = ?"
                                                    + " AND device_id = ? AND station = ?")) {
                                ps.setObject(1, storeId);
                                ps.setString(2, r.deviceId());
                                ps.setString(3, station);
                                ps.executeUpdate();
                            }
                        }
                    }
                    for (String station : wanted) {
                        if (!current.contains(station)) {
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "INSERT INTO kitchen_device_stations (store_id,"
                                                    + " device_id, station) VALUES (?, ?, ?)"
                                                    + " ON CONFLICT (store_id, device_id, station)"
                                                    + " DO NOTHING")) {
                                ps.setObject(1, storeId);
                                ps.setString(2, r.deviceId());
                                ps.setString(3, station);
                                ps.executeUpdate();
                            }
                        }
                    }
                    return read(c, storeId, r.storeCode(), r.deviceId()).get(0);
                });
    }

    /**
     * Deregisters a device: its unacknowledged tickets are routed again to the station's other
     * devices. Returns false when it was not registered.
     */
    public boolean deregister(String storeCode, String deviceId) {
        checkIds(storeCode, deviceId);
        boolean existed = markDeregistered(storeCode, deviceId);
        if (existed && configPush != null) {
            configPush.deregistered(storeCode, deviceId);
        }
        return existed;
    }

    private boolean markDeregistered(String storeCode, String deviceId) {
        return transactions.inTransaction(
                "device-deregister",
                c -> {
                    UUID storeId = storeId(c, storeCode);
                    int n;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE kitchen_devices SET deregistered_at = ?,"
                                            + " online = false, updated_at = ?"
                                            + " WHERE store_id = ? AND device_id = ?"
                                            + " AND deregistered_at IS NULL")) {
                        Timestamp now = Timestamp.from(Instant.now());
                        ps.setTimestamp(1, now);
                        ps.setTimestamp(2, now);
                        ps.setObject(3, storeId);
                        ps.setString(4, deviceId);
                        n = ps.executeUpdate();
                    }
                    if (n > 0) {
                        DeviceHealthUpdates.rerouteTicketsOf(c, storeId, deviceId);
                    }
                    return n > 0;
                });
    }

    /** One device's health; NOT_FOUND when it is not registered. */
    public DeviceHealthView get(String storeCode, String deviceId) {
        checkIds(storeCode, deviceId);
        return transactions.inTransaction(
                "device-get",
                c -> {
                    List<DeviceHealthView> found =
                            read(c, storeId(c, storeCode), storeCode, deviceId);
                    if (found.isEmpty()) {
                        throw new KitchenNotFoundException(
                                "device '"
                                        + deviceId
                                        + "' is not registered in store "
                                        + storeCode);
                    }
                    return found.get(0);
                });
    }

    /** Every registered device of a store, ordered by device id. */
    public List<DeviceHealthView> list(String storeCode) {
        if (storeCode == null || !STORE_CODE.matcher(storeCode).matches()) {
            throw new IllegalArgumentException(
                    "store_code must be 3 digits but was '" + storeCode + "'");
        }
        return transactions.inTransaction(
                "device-list", c -> read(c, storeId(c, storeCode), storeCode, null));
    }

    static UUID storeId(Connection c, String storeCode) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT store_id FROM stores WHERE store_code = ?")) {
            ps.setString(1, storeCode);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new KitchenNotFoundException(
                            "store " + storeCode + " does not exist in the order service");
                }
                return (UUID) rs.getObject(1);
            }
        }
    }

    /** Devices of a store (one, or all when deviceId is null), not deregistered. */
    private static List<DeviceHealthView> read(
            Connection c, UUID storeId, String storeCode, String deviceId) throws SQLException {
        Map<String, List<String>> stations = new LinkedHashMap<>();
        Map<String, List<DeviceHealthView.ActiveAlarm>> alarms = new LinkedHashMap<>();
        String one = deviceId == null ? "" : " AND device_id = ?";
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT device_id, station FROM kitchen_device_stations"
                                + " WHERE store_id = ?"
                                + one
                                + " ORDER BY station")) {
            bind(ps, storeId, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stations.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(rs.getString(2));
                }
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT device_id, alarm, raised_at, detail FROM kitchen_device_alarms"
                                + " WHERE store_id = ?"
                                + one
                                + " ORDER BY alarm")) {
            bind(ps, storeId, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    alarms.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(
                                    new DeviceHealthView.ActiveAlarm(
                                            rs.getString(2),
                                            rs.getTimestamp(3).toInstant(),
                                            rs.getString(4)));
                }
            }
        }
        List<DeviceHealthView> views = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT device_id, device_type, role, online, last_heartbeat_at,"
                                + " agent_version, queue_depth, paper_state, config_revision,"
                                + " applied_config_revision FROM kitchen_devices"
                                + " WHERE store_id = ? AND deregistered_at IS NULL"
                                + one
                                + " ORDER BY device_id")) {
            bind(ps, storeId, deviceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    Timestamp hb = rs.getTimestamp(5);
                    boolean online = rs.getBoolean(4);
                    List<DeviceHealthView.ActiveAlarm> active = alarms.getOrDefault(id, List.of());
                    String phase =
                            online
                                    ? (active.isEmpty() ? "ONLINE" : "DEGRADED")
                                    : (hb == null ? "PENDING" : "OFFLINE");
                    views.add(
                            new DeviceHealthView(
                                    storeCode,
                                    id,
                                    rs.getString(2),
                                    rs.getString(3),
                                    List.copyOf(stations.getOrDefault(id, List.of())),
                                    phase,
                                    hb == null ? null : hb.toInstant(),
                                    List.copyOf(active),
                                    rs.getString(6),
                                    rs.getInt(7),
                                    rs.getString(8),
                                    rs.getString(9),
                                    rs.getString(10)));
                }
            }
        }
        return views;
    }

    private static void bind(PreparedStatement ps, UUID storeId, String deviceId)
            throws SQLException {
        ps.setObject(1, storeId);
        if (deviceId != null) {
            ps.setString(2, deviceId);
        }
    }

    private static void checkIds(String storeCode, String deviceId) {
        if (storeCode == null || !STORE_CODE.matcher(storeCode).matches()) {
            throw new IllegalArgumentException(
                    "store_code must be 3 digits but was '" + storeCode + "'");
        }
        if (deviceId == null || !DEVICE_ID.matcher(deviceId).matches()) {
            throw new IllegalArgumentException(
                    "device_id must be 1-64 letters, digits, '-' or '_' starting with a letter or"
                            + " digit but was '"
                            + deviceId
                            + "'");
        }
    }

    private static void validate(DeviceRegistration r) {
        checkIds(r.storeCode(), r.deviceId());
        if (r.type() == null || !TYPES.contains(r.type())) {
            throw new IllegalArgumentException(
                    "type must be DEVICE_TYPE_PRINTER, DEVICE_TYPE_KDS_TABLET or"
                            + " DEVICE_TYPE_LED_BOARD but was "
                            + r.type());
        }
        if (r.role() == null || !ROLES.contains(r.role())) {
            throw new IllegalArgumentException(
                    "role must be DEVICE_ROLE_PRIMARY or DEVICE_ROLE_BACKUP but was " + r.role());
        }
        if (r.stations() == null || r.stations().isEmpty()) {
            throw new IllegalArgumentException("stations must name at least one station");
        }
        for (int i = 0; i < r.stations().size(); i++) {
            String s = r.stations().get(i);
            if (s == null || !STATION.matcher(s).matches()) {
                throw new IllegalArgumentException(
                        "stations["
                                + i
                                + "] must match "
                                + STATION.pattern()
                                + " but was '"
                                + s
                                + "'");
            }
        }
        if (r.heartbeatIntervalSeconds() < 1 || r.heartbeatIntervalSeconds() > 300) {
            throw new IllegalArgumentException(
                    "heartbeat_interval_seconds must be between 1 and 300 but was "
                            + r.heartbeatIntervalSeconds());
        }
        if ("PRINTER".equals(r.type())) {
            if (r.paperWidthMm() == null) {
                throw new IllegalArgumentException(
                        "printer is required when type is DEVICE_TYPE_PRINTER");
            }
            if (r.paperWidthMm() != 58 && r.paperWidthMm() != 80) {
                throw new IllegalArgumentException(
                        "printer.paper_width_mm must be 58 or 80 but was " + r.paperWidthMm());
            }
            if (r.copies() < 1 || r.copies() > 3) {
                throw new IllegalArgumentException(
                        "printer.copies must be between 1 and 3 but was " + r.copies());
            }
        }
    }
}
