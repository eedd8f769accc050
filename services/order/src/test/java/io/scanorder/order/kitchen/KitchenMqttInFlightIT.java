package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scanorder.broker.EmbeddedBroker;
import io.scanorder.testkit.MqttBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The order service's MQTT client against the embedded HiveMQ broker (ScanOrder extension): more
 * QoS 1 publishes at once than the server's receive maximum all go through, each waiting for a free
 * in-flight slot instead of failing.
 */
class KitchenMqttInFlightIT {
    private static final String STORE = "907";

    @Test
    void publishingThreeTimesTheReceiveMaximumAtOnceSucceedsWithoutARetry() throws Exception {
        MqttBroker broker = MqttBroker.shared();
        String account = "inflight-svc";
        broker.addServiceAccount(account, "inflight-svc-password");
        String deviceId = "inflight-printer-" + (System.nanoTime() % 100_000);
        try (KitchenDispatchIT.FakeDevice device =
                        new KitchenDispatchIT.FakeDevice(broker, STORE, deviceId);
                KitchenMqttClient client =
                        new KitchenMqttClient(
                                broker.uri(),
                                account,
                                "inflight-svc-password",
                                (topic, payload) -> {},
                                KitchenTopics.ACKS)) {
            client.connect();
            int window = client.inFlightLimit();
            assertThat(window)
                    .as("receive maximum from CONNACK")
                    .isEqualTo(EmbeddedBroker.SERVER_RECEIVE_MAXIMUM);

            int total = 3 * window;
            String topic = KitchenTopics.tickets(STORE, deviceId);
            long t0 = System.nanoTime();
            List<CompletableFuture<Void>> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                sent.add(
                        client.publishAsync(
                                topic,
                                ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                                Duration.ofMinutes(1)));
            }
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .get(20, TimeUnit.SECONDS);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

            assertThat(sent).allSatisfy(f -> assertThat(f).isCompleted());
            assertThat(elapsedMs)
                    .as("all %d publishes acknowledged, well before a 10 s retry", total)
                    .isLessThan(8_000);
            assertThat(client.peakInFlight()).isBetween(2, window);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(device.tickets).hasSize(total));
        }
    }
}
