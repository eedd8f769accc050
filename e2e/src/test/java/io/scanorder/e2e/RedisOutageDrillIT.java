package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis goes away in the middle of ordering, on the run's shared platform: diners log in again
 * (stateless sessions), orders are placed and paid on the database alone, a retried placement with
 * the same Idempotency-Key before and after Redis returns gives the same single order.
 */
@ExtendWith(SharedPlatform.class)
class RedisOutageDrillIT {

    @Test
    void ordersPlacedWhileRedisIsDownAreNeitherLostNorDuplicated(LocalPlatform platform)
            throws Exception {
        DinerApi diner = new DinerApi(platform);
        PlatformDb db = new PlatformDb(platform);
        String scene =
                new DemoDinner(
                                platform,
                                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()))
                        .scanFirstTable();
        String before = diner.login("o-drill-redis", scene);
        String key = "drill-redis-" + UUID.randomUUID();

        platform.redis().stop();
        String orderId;
        try {
            // An opaque (Redis) session cannot be checked now: a clear 503, not a wrong answer.
            DinerApi.Answer stale = diner.order(UUID.randomUUID().toString(), before);
            assertThat(stale.status()).as(stale.body()).isEqualTo(503);
            assertThat(stale.text("reason")).isEqualTo("SESSION_STORE_UNAVAILABLE");

            String token = diner.login("o-drill-redis", scene);
            orderId =
                    diner.orderLine(scene, token, DemoDinner.HOT_SKU, 1, key)
                            .expect(201)
                            .path("orderId")
                            .asText();
            DinerApi.Answer repeat = diner.orderLine(scene, token, DemoDinner.HOT_SKU, 1, key);
            assertThat(repeat.status()).as(repeat.body()).isEqualTo(200);
            assertThat(repeat.text("orderId")).isEqualTo(orderId);

            String trade =
                    diner.startPayment(orderId, token).expect(200).path("outTradeNo").asText();
            diner.payerPays(trade).expect(200);
            await().atMost(Duration.ofSeconds(30))
                    .until(
                            () -> diner.order(orderId, token).expect(200).path("state").asText(),
                            "PAID"::equals);
        } finally {
            platform.redis().start();
        }

        String token = diner.login("o-drill-redis", scene);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            DinerApi.Answer again =
                                    diner.orderLine(scene, token, DemoDinner.HOT_SKU, 1, key);
                            assertThat(again.status()).as(again.body()).isEqualTo(200);
                            assertThat(again.text("orderId")).isEqualTo(orderId);
                        });
        // The shared cart lives in Redis: it is back for the tests that follow.
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(diner.cart(scene, token).status()).isEqualTo(200));
        assertThat(db.orders("SELECT count(*) FROM orders WHERE idempotency_key = ?", key))
                .isEqualTo(1);
        assertThat(db.payments("SELECT count(*) FROM payments WHERE order_id = ?", orderId))
                .isEqualTo(1);
        assertThat(
                        db.orders(
                                "SELECT count(*) FROM order_events WHERE order_id = ?"
                                        + " AND to_state = 'PAID'",
                                UUID.fromString(orderId)))
                .isEqualTo(1);
    }
}
