package io.scanorder.order.kitchen;

import io.quarkus.runtime.ShutdownEvent;
import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Config push: publishes each registered device's settings ({@link DeviceConfigDocument}) retained
 * at QoS 1 on its {@code config} topic, so the agent gets them at once and again on every
 * (re)connection. Published after a registration commits, after the service (re)connects to the
 * broker, and on a periodic refresh that republishes what differs from what this replica last
 * published (a publish lost in a broker outage, or a late one from another replica, is corrected).
 * A deregistered device's retained document is cleared (an empty retained message). The same
 * revision published again is harmless: the agent ignores a revision it already runs with.
 *
 * <p>Publishes run on one worker thread, in the order they were asked for.
 */
@ApplicationScoped
public class DeviceConfigPush {
    private static final Logger LOG = Logger.getLogger(DeviceConfigPush.class);

    private final Transactions transactions;
    private final SerialPublisher worker =
            new SerialPublisher("kitchen-config-push", "pushing device configs");

    /** Revision this replica last published, by topic. */
    private final Map<String, String> published = new ConcurrentHashMap<>();

    /** Topics of deregistered devices whose retained document is not cleared yet. */
    private final Set<String> toClear = ConcurrentHashMap.newKeySet();

    @Inject
    public DeviceConfigPush(Transactions transactions) {
        this.transactions = transactions;
    }

    /** Starts publishing through {@code client} (kitchen dispatch is enabled). */
    void attach(KitchenMqttClient client) {
        worker.attach(client);
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdown();
    }

    /** A registration committed: push its settings unless this replica already pushed them. */
    void registered(DeviceRegistration r) {
        DeviceConfigDocument doc = DeviceConfigDocument.of(r);
        String topic = KitchenTopics.config(r.storeCode(), r.deviceId());
        toClear.remove(topic);
        worker.submit(() -> publish(topic, doc, false));
    }

    /** A device was deregistered: clear its retained document. */
    void deregistered(String storeCode, String deviceId) {
        String topic = KitchenTopics.config(storeCode, deviceId);
        toClear.add(topic);
        worker.submit(() -> clear(topic));
    }

    /**
     * Publishes every registered device's document: all of them when {@code force} (after
     * connecting), else only where it differs from what this replica last published; and clears
     * what a failed clear left behind. Fills in the stored revision of devices registered before
     * config push existed.
     */
    void refreshAll(boolean force) {
        worker.submit(
                () -> {
                    for (String topic : List.copyOf(toClear)) {
                        clear(topic);
                    }
                    for (Registered d : registeredDevices()) {
                        publish(d.topic(), d.document(), force);
                    }
                });
    }

    private void publish(String topic, DeviceConfigDocument doc, boolean force) {
        KitchenMqttClient client = worker.connected();
        if (client == null) {
            // the (re)connection publishes everything
            return;
        }
        if (!force && doc.revision().equals(published.get(topic))) {
            return;
        }
        try {
            client.publishRetained(topic, doc.payload());
            published.put(topic, doc.revision());
            LOG.debugf("pushed config revision %s to %s", doc.revision(), topic);
        } catch (Exception e) {
            published.remove(topic);
            LOG.warnf(
                    "could not push config revision %s to %s (%s); the device keeps its current"
                            + " settings until the next refresh succeeds",
                    doc.revision(), topic, e.getMessage());
        }
    }

    private void clear(String topic) {
        KitchenMqttClient client = worker.connected();
        if (client == null) {
            return;
        }
        try {
            client.publishRetained(topic, new byte[0]);
            toClear.remove(topic);
            published.remove(topic);
            LOG.debugf("cleared the retained config on %s", topic);
        } catch (Exception e) {
            LOG.warnf(
                    "could not clear the retained config on %s (%s); the periodic refresh tries"
                            + " again",
                    topic, e.getMessage());
        }
    }

    /** A registered device and its document. */
    private record Registered(String topic, DeviceConfigDocument document) {}

    private List<Registered> registeredDevices() {
        List<Registered> devices = new ArrayList<>();
        List<String[]> stale = new ArrayList<>();
        transactions.inTransaction(
                "device-config-read",
                c -> {
                    KitchenMetrics.readOnly(c);
                    Map<String, List<String>> stations = new LinkedHashMap<>();
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT st.store_id::TEXT || '/' || st.device_id,"
                                                    + " st.station FROM kitchen_device_stations st"
                                                    + " ORDER BY st.station");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            stations.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                    .add(rs.getString(2));
                        }
                    }
                    devices.clear();
                    stale.clear();
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT s.store_code, d.device_id, d.device_type,"
                                                    + " d.role, d.heartbeat_interval_seconds,"
                                                    + " d.paper_width_mm, d.copies, d.cutter,"
                                                    + " d.config_revision, d.store_id::TEXT"
                                                    + " FROM kitchen_devices d JOIN stores s"
                                                    + " ON s.store_id = d.store_id"
                                                    + " WHERE d.deregistered_at IS NULL"
                                                    + " ORDER BY s.store_code, d.device_id");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String store = rs.getString(1);
                            String device = rs.getString(2);
                            List<String> own = stations.get(rs.getString(10) + "/" + device);
                            if (own == null) {
                                // a device always has a station; none means a torn read
                                continue;
                            }
                            DeviceConfigDocument doc =
                                    DeviceConfigDocument.of(
                                            store,
                                            device,
                                            rs.getString(3),
                                            rs.getString(4),
                                            own,
                                            rs.getInt(5),
                                            (Integer) rs.getObject(6),
                                            rs.getInt(7),
                                            rs.getBoolean(8));
                            devices.add(new Registered(KitchenTopics.config(store, device), doc));
                            if (rs.getString(9).isEmpty()) {
                                stale.add(new String[] {store, device, doc.revision()});
                            }
                        }
                    }
                    return null;
                });
        if (!stale.isEmpty()) {
            fillInRevisions(stale);
        }
        return devices;
    }

    /** Stores the revision of devices registered before config push (only where still empty). */
    private void fillInRevisions(List<String[]> stale) {
        transactions.inTransaction(
                "device-config-revisions",
                c -> {
                    for (String[] s : stale) {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "UPDATE kitchen_devices SET config_revision = ?"
                                                + " WHERE store_id = (SELECT store_id FROM stores"
                                                + " WHERE store_code = ?) AND device_id = ?"
                                                + " AND config_revision = ''")) {
                            ps.setString(1, s[2]);
                            ps.setString(2, s[0]);
                            ps.setString(3, s[1]);
                            ps.executeUpdate();
                        }
                    }
                    return null;
                });
    }
}
