package io.scanorder.order.kitchen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.runtime.ShutdownEvent;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.MoveResult;
import io.scanorder.order.state.OrderState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Keeps the pickup LED boards right: a store's READY pickup numbers (the most recent {@code
 * scanorder.kitchen.display.ready-numbers}, newest first) are published retained at QoS 1 as {@code
 * {"ready":["0042","0041"]}} to the {@code display} topic of each registered LED board of the
 * store, after every committed move into or out of READY, after the service (re)connects to the
 * broker, when an LED board is (re)registered, and on a periodic refresh that republishes what
 * differs from what this replica last published (so a publish lost in a broker outage, or a stale
 * list another replica published late, is corrected).
 *
 * <p>Every publish re-reads the database and runs on one worker thread, so this replica's last
 * publish always shows the state after the last move it saw.
 */
@ApplicationScoped
public class PickupDisplay {
    private static final Logger LOG = Logger.getLogger(PickupDisplay.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The LED board agent refuses longer lists (LedLineProtocol.MAX_NUMBERS). */
    static final int MAX_NUMBERS = 20;

    private final Transactions transactions;
    private final KitchenConfig config;
    private final SerialPublisher worker =
            new SerialPublisher("kitchen-pickup-display", "updating the pickup LED boards");

    /** What this replica last published, by topic. */
    private final Map<String, List<String>> shown = new ConcurrentHashMap<>();

    @Inject
    public PickupDisplay(Transactions transactions, KitchenConfig config) {
        this.transactions = transactions;
        this.config = config;
        int n = config.display().readyNumbers();
        if (n < 1 || n > MAX_NUMBERS) {
            throw new IllegalStateException(
                    "scanorder.kitchen.display.ready-numbers must be between 1 and "
                            + MAX_NUMBERS
                            + " (what an LED board shows) but was "
                            + n);
        }
    }

    /** Starts publishing through {@code client} (kitchen dispatch is enabled). */
    void attach(KitchenMqttClient client) {
        worker.attach(client);
    }

    void onStop(@Observes ShutdownEvent event) {
        worker.shutdown();
    }

    /** Committed moves: a move into or out of READY changes the store's board. */
    void onCommitted(@ObservesAsync MoveResult move) {
        if (move.changed() && (move.from() == OrderState.READY || move.to() == OrderState.READY)) {
            worker.submit(() -> storeOf(move.orderId()).ifPresent(store -> publish(store, true)));
        }
    }

    /** Publishes the store's list to its boards again, e.g. after an LED board registered. */
    public void refreshStore(String storeCode) {
        worker.submit(() -> publish(storeCode, true));
    }

    /**
     * Publishes every store's list: all of them when {@code force} (after connecting), else only
     * where it differs from what this replica last published.
     */
    void refreshAll(boolean force) {
        worker.submit(
                () -> {
                    for (String store : storesWithBoards()) {
                        publish(store, force);
                    }
                });
    }

    /** The store's boards and its READY numbers, newest first. */
    record Board(List<String> topics, List<String> numbers) {}

    Board read(String storeCode) {
        int limit = config.display().readyNumbers();
        return transactions.inTransaction(
                "pickup-display",
                c -> {
                    KitchenMetrics.readOnly(c);
                    List<String> topics = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT d.device_id FROM kitchen_devices d JOIN stores s"
                                            + " ON s.store_id = d.store_id WHERE s.store_code = ?"
                                            + " AND d.device_type = 'LED_BOARD'"
                                            + " AND d.deregistered_at IS NULL"
                                            + " ORDER BY d.device_id")) {
                        ps.setString(1, storeCode);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                topics.add(KitchenTopics.display(storeCode, rs.getString(1)));
                            }
                        }
                    }
                    List<String> numbers = new ArrayList<>();
                    if (!topics.isEmpty()) {
                        numbers = readyNumbers(c, storeCode, limit);
                    }
                    return new Board(topics, numbers);
                });
    }

    private static List<String> readyNumbers(Connection c, String storeCode, int limit)
            throws SQLException {
        List<String> numbers = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT o.pickup_number FROM orders o JOIN stores s"
                                + " ON s.store_id = o.store_id WHERE s.store_code = ?"
                                // waiting_state = state for READY orders; indexed, state is
                                // not (V12: state moves stay heap-only updates)
                                + " AND o.waiting_state = 'READY'"
                                + " ORDER BY o.updated_at DESC, o.pickup_number DESC LIMIT ?")) {
            ps.setString(1, storeCode);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    numbers.add(rs.getString(1));
                }
            }
        }
        return numbers;
    }

    private void publish(String storeCode, boolean force) {
        KitchenMqttClient client = worker.connected();
        if (client == null) {
            // the (re)connection publishes everything
            return;
        }
        Board board = read(storeCode);
        if (board.topics().isEmpty()) {
            return;
        }
        byte[] payload = payload(board.numbers());
        for (String topic : board.topics()) {
            if (!force && board.numbers().equals(shown.get(topic))) {
                continue;
            }
            try {
                client.publishRetained(topic, payload);
                shown.put(topic, board.numbers());
                LOG.debugf("pickup board %s shows %s", topic, board.numbers());
            } catch (Exception e) {
                shown.remove(topic);
                LOG.warnf(
                        "could not publish the READY pickup numbers to %s (%s); the LED board"
                                + " shows an old list until the next refresh succeeds",
                        topic, e.getMessage());
            }
        }
    }

    /** {@code {"ready":[...]}}, the LED board agent's display format. */
    static byte[] payload(List<String> numbers) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode ready = body.putArray("ready");
        numbers.forEach(ready::add);
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    private Optional<String> storeOf(UUID orderId) {
        return transactions.inTransaction(
                "pickup-display-store",
                c -> {
                    KitchenMetrics.readOnly(c);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT s.store_code FROM orders o JOIN stores s"
                                            + " ON s.store_id = o.store_id"
                                            + " WHERE o.order_id = ?")) {
                        ps.setObject(1, orderId);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next()
                                    ? Optional.of(rs.getString(1))
                                    : Optional.<String>empty();
                        }
                    }
                });
    }

    private List<String> storesWithBoards() {
        return transactions.inTransaction(
                "pickup-display-stores",
                c -> {
                    KitchenMetrics.readOnly(c);
                    List<String> stores = new ArrayList<>();
                    try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT DISTINCT s.store_code FROM kitchen_devices d"
                                                    + " JOIN stores s ON s.store_id = d.store_id"
                                                    + " WHERE d.device_type = 'LED_BOARD'"
                                                    + " AND d.deregistered_at IS NULL"
                                                    + " ORDER BY s.store_code");
                            ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            stores.add(rs.getString(1));
                        }
                    }
                    return stores;
                });
    }
}
