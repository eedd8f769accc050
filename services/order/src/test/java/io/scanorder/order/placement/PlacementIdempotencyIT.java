package io.scanorder.order.placement;

import static io.restassured.RestAssured.given;
import static io.scanorder.order.placement.OrderPlacementIT.place;
import static io.scanorder.order.placement.PlacementFixture.body;
import static io.scanorder.order.placement.PlacementFixture.freshIp;
import static io.scanorder.order.placement.PlacementFixture.freshKey;
import static io.scanorder.order.placement.PlacementFixture.freshOpenid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.diner.DinerSessions;
import io.scanorder.order.menu.MenuFixtures;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.redis.RedisHealth;
import io.scanorder.order.table.TableRegistry;
import io.scanorder.testkit.EmbeddedRedis;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Idempotency keys of order placement: Redis first, the database's unique constraint always. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class PlacementIdempotencyIT {
    @Inject DataSource dataSource;
    @Inject TableRegistry tables;
    @Inject MenuService menus;
    @Inject DinerSessions sessions;
    @Inject RedisHealth redisHealth;
    @Inject RedisDataSource redis;

    private PlacementFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new PlacementFixture(dataSource, tables, menus, sessions);
    }

    @Test
    void sameKeyAndBodyReturnTheSameOrderAndADifferentBodyIsRefused() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        String key = freshKey();
        String ip = freshIp();
        Map<String, Object> order = body(store.scene(), "beef-noodles-l", 1);

        String id = place(token, key, ip, order).statusCode(201).extract().path("orderId");
        place(token, key, ip, order)
                .statusCode(200)
                .header("Idempotent-Replayed", "true")
                .body("orderId", equalTo(id));
        assertThat(redis.value(String.class).get(PlacementIdempotency.key(store.code(), key)))
                .endsWith(" " + id);

        place(token, key, ip, body(store.scene(), "beef-noodles-l", 2))
                .statusCode(409)
                .body("reason", equalTo("IDEMPOTENCY_KEY_REUSED"))
                .body("message", containsString("Idempotency-Key '" + key + "'"))
                .body("message", containsString("use a new key for a new order"));
        // Another diner with the same key and body gets no view of the first diner's order.
        place(fixture.token(freshOpenid()), key, freshIp(), order)
                .statusCode(409)
                .body("reason", equalTo("IDEMPOTENCY_KEY_REUSED"));
        assertThat(fixture.ordersWithKey(store.code(), key)).isEqualTo(1);
    }

    @Test
    void fiftyConcurrentRequestsWithOneKeyCreateExactlyOneOrder() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        String key = freshKey();
        String ip = freshIp();
        Map<String, Object> order = body(store.scene(), "cucumber-std", 2);

        Set<String> ids = concurrently(50, () -> place(token, key, ip, order).extract().response());

        assertThat(ids).hasSize(1);
        assertThat(fixture.ordersWithKey(store.code(), key)).isEqualTo(1);
    }

    @Test
    void withRedisDownPlacementWorksAndTheDatabaseStillRefusesDuplicates() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        EmbeddedRedis embedded = EmbeddedRedis.shared();
        embedded.stop();
        try {
            // Logged in while Redis is down: a signed stateless session.
            String token = fixture.token(freshOpenid());
            String ip = freshIp();
            String key = freshKey();
            Map<String, Object> order = body(store.scene(), "lemon-tea-std", 3);

            String id = place(token, key, ip, order).statusCode(201).extract().path("orderId");
            place(token, key, ip, order).statusCode(200).body("orderId", equalTo(id));
            place(token, key, ip, body(store.scene(), "lemon-tea-std", 4))
                    .statusCode(409)
                    .body("reason", equalTo("IDEMPOTENCY_KEY_REUSED"));

            String racedKey = freshKey();
            Set<String> ids =
                    concurrently(10, () -> place(token, racedKey, ip, order).extract().response());
            assertThat(ids).hasSize(1);
            assertThat(fixture.ordersWithKey(store.code(), racedKey)).isEqualTo(1);
            assertThat(fixture.ordersWithKey(store.code(), key)).isEqualTo(1);

            assertThat(redisHealth.degraded()).isTrue();
            given().get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(containsString("scanorder_redis_degraded 1.0"));
        } finally {
            embedded.start();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> {
                            place(
                                            fixture.token(freshOpenid()),
                                            freshKey(),
                                            freshIp(),
                                            body(store.scene(), "lemon-tea-std", 1))
                                    .statusCode(201);
                            assertThat(redisHealth.degraded()).isFalse();
                        });
    }

    /** Fires {@code n} requests at once; all must succeed; returns the distinct order ids. */
    private static Set<String> concurrently(int n, java.util.concurrent.Callable<Response> call)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return call.call();
                                }));
            }
            start.countDown();
            Set<String> ids = new HashSet<>();
            int created = 0;
            for (Future<Response> f : futures) {
                Response r = f.get();
                assertThat(r.statusCode()).as(r.asString()).isIn(200, 201);
                created += r.statusCode() == 201 ? 1 : 0;
                ids.add(r.path("orderId"));
            }
            assertThat(created).as("responses saying 201 Created").isEqualTo(1);
            return ids;
        } finally {
            pool.shutdownNow();
        }
    }
}
