package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.operator.model.MenuContent;
import io.scanorder.operator.model.MenuValidation;
import io.scanorder.proto.order.v1.GetMenuRequest;
import io.scanorder.proto.order.v1.MenuAdminGrpc;
import io.scanorder.proto.order.v1.PublishMenuRequest;
import io.scanorder.testkit.MqttServiceClient;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drills on the run's shared platform: each one attacks or disturbs one door of the platform and
 * checks that nothing is lost, nothing is duplicated and the refusal says what is wrong.
 */
@ExtendWith(SharedPlatform.class)
class PlatformDrillsIT {
    private static LocalPlatform platform;
    private static PlatformDb db;
    private static DinerApi diner;
    private static String scene;

    @BeforeAll
    static void scanTheTable(LocalPlatform shared) throws Exception {
        platform = shared;
        db = new PlatformDb(shared);
        diner = new DinerApi(shared);
        scene =
                new DemoDinner(shared, new PrintStream(new ByteArrayOutputStream()))
                        .scanFirstTable();
    }

    @Test
    void tamperedTableCodesAreRefusedWithAClearErrorAndCreateNothing() throws Exception {
        assertThat(diner.table(scene).status()).isEqualTo(200);
        String token = diner.login("o-drill-tamper", null);
        long ordersBefore = db.orders("SELECT count(*) FROM orders");
        List<String> tampered = new ArrayList<>();
        // one character changed at the start, in the middle and at the end (the signature)
        for (int at : new int[] {0, scene.length() / 2, scene.length() - 1}) {
            char c = scene.charAt(at);
            char other = c == 'A' ? 'B' : 'A';
            tampered.add(scene.substring(0, at) + other + scene.substring(at + 1));
        }
        tampered.add(scene.substring(0, scene.length() - 1));
        tampered.add(scene + "A");
        tampered.add("not-a-table-code");

        for (String bad : tampered) {
            DinerApi.Answer lookup = diner.table(bad);
            assertThat(lookup.status())
                    .as("GET table %s: %s", bad, lookup.body())
                    .isBetween(400, 499);
            assertThat(lookup.text("reason")).as(lookup.body()).isNotBlank();
            assertThat(lookup.text("message")).as(lookup.body()).isNotBlank();

            DinerApi.Answer order =
                    diner.orderLine(
                            bad, token, DemoDinner.HOT_SKU, 1, "drill-" + UUID.randomUUID());
            assertThat(order.status()).as("order at %s: %s", bad, order.body()).isBetween(400, 499);
            assertThat(order.text("message")).as(order.body()).isNotBlank();

            DinerApi.Answer cart = diner.addToCart(bad, token, DemoDinner.HOT_SKU, 1, "Mallory");
            assertThat(cart.status()).as("cart at %s: %s", bad, cart.body()).isBetween(400, 499);
        }
        assertThat(db.orders("SELECT count(*) FROM orders")).isEqualTo(ordersBefore);
    }

    @Test
    void aHundredDuplicatedAndReorderedPaymentNotificationsRecordEachPaymentOnce()
            throws Exception {
        String token = diner.login("o-drill-dupes", scene);
        List<String> orders = new ArrayList<>();
        List<String> trades = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            orders.add(
                    diner.orderLine(
                                    scene,
                                    token,
                                    DemoDinner.COLD_SKU,
                                    1,
                                    "drill-" + UUID.randomUUID())
                            .expect(201)
                            .path("orderId")
                            .asText());
        }
        ObjectNode hold = DinerApi.JSON.createObjectNode();
        hold.put("reset", true);
        hold.put("hold", true);
        // Two notifications held, then sent 50 times each, the later payment's first.
        hold.put("duplicate", 50);
        diner.notificationControls(hold).expect(200);
        try {
            for (String order : orders) {
                String trade =
                        diner.startPayment(order, token).expect(200).path("outTradeNo").asText();
                trades.add(trade);
                diner.payerPays(trade).expect(200);
            }
            await().atMost(Duration.ofSeconds(10))
                    .until(
                            () ->
                                    diner.notificationControls(DinerApi.JSON.createObjectNode())
                                                    .json()
                                                    .path("held")
                                                    .asInt()
                                            >= 2);
            ObjectNode release = DinerApi.JSON.createObjectNode();
            release.put("release", "REVERSED");
            diner.notificationControls(release).expect(200);
        } finally {
            // Back to normal delivery, with nothing left held for later tests.
            ObjectNode reset = DinerApi.JSON.createObjectNode();
            reset.put("reset", true);
            reset.put("release", "AS_CREATED");
            diner.notificationControls(reset);
        }

        for (String order : orders) {
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> diner.order(order, token).expect(200).path("state").asText(),
                            "PAID"::equals);
        }
        // every copy reached the payment service and was acknowledged
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            JsonNode deliveries = diner.deliveries().expect(200);
                            int delivered = 0;
                            for (JsonNode d : deliveries) {
                                if (trades.contains(d.path("subject").asText())
                                        && d.path("httpStatus").asInt() / 100 == 2) {
                                    delivered++;
                                }
                            }
                            assertThat(delivered).isGreaterThanOrEqualTo(100);
                        });
        for (int i = 0; i < orders.size(); i++) {
            UUID id = UUID.fromString(orders.get(i));
            assertThat(
                            db.payments(
                                    "SELECT count(*) FROM payments WHERE order_id = ?",
                                    orders.get(i)))
                    .isEqualTo(1);
            assertThat(
                            db.payments(
                                    "SELECT count(*) FROM payments WHERE out_trade_no = ?"
                                            + " AND state = 'SUCCESS'",
                                    trades.get(i)))
                    .isEqualTo(1);
            assertThat(
                            db.orders(
                                    "SELECT count(*) FROM order_events WHERE order_id = ?"
                                            + " AND to_state = 'PAID'",
                                    id))
                    .isEqualTo(1);
            assertThat(
                            db.orderText(
                                    "SELECT paid_fen = total_fen FROM orders WHERE order_id = ?",
                                    id))
                    .isEqualTo("t");
        }
    }

    @Test
    void forgedPaymentNotificationsAreRefusedAndChangeNothing() throws Exception {
        String token = diner.login("o-drill-forger", scene);
        String order =
                diner.orderLine(scene, token, DemoDinner.HOT_SKU, 1, "drill-" + UUID.randomUUID())
                        .expect(201)
                        .path("orderId")
                        .asText();
        String trade = diner.startPayment(order, token).expect(200).path("outTradeNo").asText();
        for (String forgery :
                new String[] {"BAD_SIGNATURE", "TAMPERED_CIPHERTEXT", "UNKNOWN_SERIAL"}) {
            JsonNode answer = diner.forgedNotification(trade, forgery).expect(200);
            assertThat(answer.path("receiver_status").asInt()).as(forgery).isBetween(400, 499);
        }
        assertThat(diner.order(order, token).expect(200).path("state").asText())
                .isEqualTo("PENDING_PAYMENT");
        assertThat(
                        db.payments(
                                "SELECT count(*) FROM payments WHERE out_trade_no = ?"
                                        + " AND state = 'NOT_PAID' AND transaction_id IS NULL",
                                trade))
                .isEqualTo(1);
        assertThat(db.payments("SELECT count(*) FROM order_notices WHERE out_trade_no = ?", trade))
                .isZero();
    }

    @Test
    void garbageOnDeviceTopicsIsDroppedAndCountedWhileDinnersGoOn() throws Exception {
        String store = platform.examples().storeCode();
        String device = "scanorder/" + store + "/devices/jingan-printer-hot-1/";
        double acksBefore = rejectedPayloads("acks");
        double heartbeatsBefore = rejectedPayloads("heartbeat");
        double alarmsBefore = rejectedPayloads("alarms");
        List<byte[]> garbage =
                List.of(
                        "not json at all".getBytes(StandardCharsets.UTF_8),
                        "{\"ticketId\":".getBytes(StandardCharsets.UTF_8),
                        "[1,2,3]".getBytes(StandardCharsets.UTF_8),
                        ("{\"ticketId\":\"" + UUID.randomUUID() + "\",\"status\":\"PRINTED\"}")
                                .getBytes(StandardCharsets.UTF_8),
                        "{\"ticketId\":\"T-1\",\"status\":\"BURNT\"}"
                                .getBytes(StandardCharsets.UTF_8),
                        new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2},
                        new byte[64 * 1024]);
        try (MqttServiceClient attacker =
                new MqttServiceClient(platform.broker(), "drill-garbage", "garbage-secret")) {
            for (byte[] payload : garbage) {
                attacker.publish(device + "acks", payload);
                attacker.publish(device + "heartbeat", payload);
                attacker.publish(device + "alarms", payload);
            }
        }
        int sent = garbage.size();
        // Nothing else sends bad payloads (the KDS tablet's DISPLAYED/COOKING/READY acks are
        // valid), so each channel counts exactly ours.
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> {
                            assertThat(rejectedPayloads("heartbeat") - heartbeatsBefore)
                                    .isEqualTo(sent);
                            assertThat(rejectedPayloads("alarms") - alarmsBefore).isEqualTo(sent);
                            assertThat(rejectedPayloads("acks") - acksBefore).isEqualTo(sent);
                        });

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DemoDinner.Outcome dinner =
                new DemoDinner(platform, new PrintStream(out, true, StandardCharsets.UTF_8)).run();
        assertThat(
                        db.orderText(
                                "SELECT state FROM orders WHERE order_id = ?",
                                UUID.fromString(dinner.orderId())))
                .isEqualTo("READY");
        assertThat(dinner.receipts().get("jingan-printer-hot-1")).hasSize(1);
    }

    @Test
    void anInvalidMenuIsRefusedWithTheFieldPathAndThePublishedMenuStays() throws Exception {
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", platform.orderGrpcPort())
                        .usePlaintext()
                        .build();
        try {
            var admin =
                    MenuAdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
            String store = platform.examples().storeCode();
            GetMenuRequest current = GetMenuRequest.newBuilder().setStoreCode(store).build();
            String before = admin.getMenu(current).getRevisionHash();

            Menu bad =
                    ExampleManifests.load(Path.of(System.getProperty("scanorder.examples.dir")))
                            .menu();
            bad.getSpec().getItems().get(2).getSkus().get(0).setPriceFen(-100L);

            // The operator's publishing path checks the resource before anything is sent.
            List<String> violations =
                    MenuValidation.violations(bad.getSpec(), List.of(platform.examples().store()));
            assertThat(violations)
                    .anySatisfy(v -> assertThat(v).startsWith("spec.items[2].skus[0].priceFen:"));

            // Past that check, the order service refuses the content itself.
            assertThatThrownBy(
                            () ->
                                    admin.publishMenu(
                                            PublishMenuRequest.newBuilder()
                                                    .setStoreCode(store)
                                                    .setMenu(MenuContent.toProto(bad.getSpec()))
                                                    .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> {
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.INVALID_ARGUMENT);
                                assertThat(e.getStatus().getDescription())
                                        .containsIgnoringCase("price");
                            });

            assertThat(admin.getMenu(current).getRevisionHash()).isEqualTo(before);
            HttpResponse<String> menu =
                    HttpClient.newHttpClient()
                            .send(
                                    HttpRequest.newBuilder(
                                                    URI.create(
                                                            platform.dinerApiBaseUrl()
                                                                    + "/stores/"
                                                                    + store
                                                                    + "/menu"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString());
            assertThat(menu.statusCode()).isEqualTo(200);
            assertThat(menu.body()).doesNotContain("-100");
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** {@code scanorder_mqtt_payloads_rejected_total} of one channel, from /q/metrics. */
    private static double rejectedPayloads(String channel) throws Exception {
        HttpResponse<String> metrics =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + platform.orderHttpPort()
                                                                + "/q/metrics"))
                                        .header("Accept", "text/plain")
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        double sum = 0;
        for (String line : metrics.body().split("\n")) {
            if (line.startsWith("scanorder_mqtt_payloads_rejected_total{")
                    && line.contains("channel=\"" + channel + "\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }
}
