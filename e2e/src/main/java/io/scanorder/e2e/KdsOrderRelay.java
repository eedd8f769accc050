package io.scanorder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.AdvanceOrderRequest;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.OrderState;
import io.scanorder.testkit.MqttServiceClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Local mode's link between the KDS tablet, the order and the pickup LED board, for two things the
 * order service does not do yet: it reads only PRINTED/FAILED acks, so a KDS tablet's bumps ({@code
 * COOKING}, {@code READY} on its {@code acks} topic) never move the order, and nothing publishes
 * the LED board's {@code display} topic.
 *
 * <p>As a broker service account this relay reads the KDS tablets' acks and moves the order with
 * {@code OrderService/AdvanceOrder} (actor SYSTEM {@code kds:<device>}): DISPATCHING to COOKING on
 * the first bump, to READY once every KDS ticket of the order is bumped READY. It publishes the
 * store's READY pickup numbers, retained, to every LED board's {@code display} topic whenever they
 * change. It only uses the public gRPC API, the broker and read-only SQL.
 */
final class KdsOrderRelay implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "local-kds-relay";
    private static final int LED_NUMBERS = 6;

    private final LocalPlatform platform;
    private final String storeCode;
    private final List<String> kdsIds;
    private final List<String> ledIds;
    private final MqttServiceClient mqtt;
    private final ManagedChannel channel;
    private final ScheduledExecutorService loop =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "local-kds-relay");
                        t.setDaemon(true);
                        return t;
                    });
    private final Set<UUID> readyTickets = new HashSet<>();
    private int seen;
    private List<String> shown = List.of();

    private KdsOrderRelay(LocalPlatform platform) throws Exception {
        this.platform = platform;
        this.storeCode = platform.examples().storeCode();
        this.kdsIds = ids(platform, "kds-tablet");
        this.ledIds = ids(platform, "led-board");
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        this.mqtt =
                new MqttServiceClient(platform.broker(), ACCOUNT, HexFormat.of().formatHex(secret));
        String[] filters =
                kdsIds.stream()
                        .map(id -> DeviceChannel.ACKS.topic(storeCode, id))
                        .toArray(String[]::new);
        if (filters.length > 0) {
            mqtt.subscribe(filters);
        }
        this.channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", platform.orderGrpcPort())
                        .usePlaintext()
                        .build();
    }

    /** Starts relaying for the platform's KDS tablets and LED boards. */
    static KdsOrderRelay start(LocalPlatform platform) {
        try {
            KdsOrderRelay relay = new KdsOrderRelay(platform);
            relay.loop.scheduleWithFixedDelay(relay::tick, 200, 200, TimeUnit.MILLISECONDS);
            return relay;
        } catch (Exception e) {
            throw new IllegalStateException(
                    "local KDS relay: cannot connect to the broker at "
                            + platform.broker().uri()
                            + " as service account "
                            + ACCOUNT
                            + ": "
                            + e,
                    e);
        }
    }

    private void tick() {
        try {
            List<MqttServiceClient.Received> all = mqtt.received();
            for (int i = seen; i < all.size(); i++) {
                handle(all.get(i));
            }
            seen = all.size();
            showReadyNumbers();
        } catch (RuntimeException | SQLException e) {
            // Try again on the next tick; an outage of the database or broker is not fatal here.
            System.err.println("local KDS relay: " + e);
        }
    }

    private void handle(MqttServiceClient.Received message) throws SQLException {
        String device = message.topic().split("/")[3];
        JsonNode ack;
        try {
            ack = JSON.readTree(message.text());
        } catch (IOException e) {
            return;
        }
        String status = ack.path("status").asText("");
        UUID ticketId;
        try {
            ticketId = UUID.fromString(ack.path("ticketId").asText(""));
        } catch (IllegalArgumentException e) {
            return;
        }
        if (!status.equals("COOKING") && !status.equals("READY")) {
            return;
        }
        Optional<UUID> order = orderOf(ticketId);
        if (order.isEmpty()) {
            return;
        }
        if (status.equals("READY")) {
            readyTickets.add(ticketId);
        }
        UUID orderId = order.get();
        String state = state(orderId);
        if (state.equals("DISPATCHING")) {
            advance(orderId, OrderState.ORDER_STATE_COOKING, device, "bumped on the KDS");
            state = "COOKING";
        }
        if (status.equals("READY")
                && state.equals("COOKING")
                && readyTickets.containsAll(kdsTickets(orderId))) {
            advance(orderId, OrderState.ORDER_STATE_READY, device, "every KDS ticket bumped READY");
        }
    }

    private void advance(UUID orderId, OrderState target, String device, String reason) {
        try {
            OrderServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .advanceOrder(
                            AdvanceOrderRequest.newBuilder()
                                    .setOrderId(orderId.toString())
                                    .setTargetState(target)
                                    .setActor(
                                            Actor.newBuilder()
                                                    .setKind(ActorKind.ACTOR_KIND_SYSTEM)
                                                    .setId("kds:" + device))
                                    .setReason(reason)
                                    .build());
        } catch (StatusRuntimeException e) {
            System.err.println(
                    "local KDS relay: AdvanceOrder "
                            + orderId
                            + " to "
                            + target
                            + " refused: "
                            + e.getStatus());
        }
    }

    private void showReadyNumbers() throws SQLException {
        if (ledIds.isEmpty()) {
            return;
        }
        List<String> numbers = new ArrayList<>();
        try (Connection c = platform.postgres().connect(LocalPlatform.ORDER_DATABASE);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT o.pickup_number FROM orders o JOIN stores s"
                                        + " ON s.store_id = o.store_id WHERE s.store_code = ?"
                                        + " AND o.state = 'READY' ORDER BY o.updated_at DESC"
                                        + " LIMIT "
                                        + LED_NUMBERS)) {
            ps.setString(1, storeCode);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    numbers.add(rs.getString(1));
                }
            }
        }
        if (numbers.equals(shown)) {
            return;
        }
        var body = JSON.createObjectNode();
        var ready = body.putArray("ready");
        numbers.forEach(ready::add);
        byte[] payload = body.toString().getBytes(StandardCharsets.UTF_8);
        try {
            for (String led : ledIds) {
                mqtt.publishRetained(DeviceChannel.DISPLAY.topic(storeCode, led), payload);
            }
            shown = List.copyOf(numbers);
        } catch (Exception e) {
            System.err.println("local KDS relay: cannot publish the LED display: " + e);
        }
    }

    private Optional<UUID> orderOf(UUID ticketId) throws SQLException {
        try (Connection c = platform.postgres().connect(LocalPlatform.ORDER_DATABASE);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT order_id FROM kitchen_tickets WHERE ticket_id = ?")) {
            ps.setObject(1, ticketId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of((UUID) rs.getObject(1)) : Optional.empty();
            }
        }
    }

    private Set<UUID> kdsTickets(UUID orderId) throws SQLException {
        Set<UUID> tickets = new HashSet<>();
        try (Connection c = platform.postgres().connect(LocalPlatform.ORDER_DATABASE);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT ticket_id FROM kitchen_tickets WHERE order_id = ?"
                                        + " AND device_id = ANY (?)")) {
            ps.setObject(1, orderId);
            ps.setArray(2, c.createArrayOf("text", kdsIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tickets.add((UUID) rs.getObject(1));
                }
            }
        }
        return tickets;
    }

    private String state(UUID orderId) throws SQLException {
        try (Connection c = platform.postgres().connect(LocalPlatform.ORDER_DATABASE);
                PreparedStatement ps =
                        c.prepareStatement("SELECT state FROM orders WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static List<String> ids(LocalPlatform platform, String type) {
        return platform.devices().stream()
                .filter(d -> d.type().equals(type))
                .map(KitchenSide.RunningDevice::id)
                .toList();
    }

    @Override
    public void close() throws Exception {
        loop.shutdownNow();
        loop.awaitTermination(5, TimeUnit.SECONDS);
        channel.shutdownNow();
        mqtt.close();
    }
}
