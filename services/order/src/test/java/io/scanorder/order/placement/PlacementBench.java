package io.scanorder.order.placement;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.diner.DinerSessions;
import io.scanorder.order.menu.MenuFixtures;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.table.TableRegistry;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire's default includes never pick up {@code *Bench}): drives order
 * placement over the real diner REST API (HTTP to the running service, real PostgreSQL and Redis)
 * with concurrent diners, and prints orders/s and latency percentiles (HdrHistogram). Each diner
 * has its own session, client address and a new Idempotency-Key per order, repeated with the same
 * key on 503 BUSY as the mini-program does; rate limits are lifted so the service, not the limiter,
 * is measured. It checks only that every order was placed once.
 *
 * <p>Run: {@code ./mvnw -B -pl services/order -am verify -Dtest=PlacementBench
 * -Dsurefire.failIfNoSpecifiedTests=false} with optional {@code -Dbench.clients=16
 * -Dbench.seconds=20 -Dbench.warmup-seconds=5}. Results: stdout and {@code
 * services/order/target/bench/placement.json}.
 */
@QuarkusTest
@TestProfile(PlacementBench.Unlimited.class)
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class PlacementBench {
    /** Rate limits out of the way: the benchmark places hundreds of orders a second per diner. */
    public static class Unlimited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "scanorder.placement.rate-limit.orders-per-ip", "100000000",
                    "scanorder.placement.rate-limit.orders-per-openid", "100000000");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** How often a client repeats a 503 (BUSY: serializable retries exhausted) with its key. */
    private static final int MAX_RETRIES = 5;

    @Inject DataSource dataSource;
    @Inject TableRegistry tables;
    @Inject MenuService menus;
    @Inject DinerSessions sessions;

    @TestHTTPResource("/api/v1/orders")
    URL orders;

    /** What one phase (warm-up or measurement) of the run saw. */
    record Phase(Histogram latencyMicros, long placed, long failed, long retried, double seconds) {
        double ordersPerSecond() {
            return placed / seconds;
        }
    }

    @Test
    void placeOrdersOverTheDinerApi() throws Exception {
        int clients = Integer.getInteger("bench.clients", 16);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int warmup = Integer.getInteger("bench.warmup-seconds", 5);
        PlacementFixture fixture = new PlacementFixture(dataSource, tables, menus, sessions);
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        byte[] body =
                JSON.writeValueAsBytes(
                        PlacementFixture.body(
                                store.scene(), "beef-noodles-l", 2, "cucumber-std", 1));
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            tokens.add(fixture.token(PlacementFixture.freshOpenid()));
        }

        Phase warm = run(clients, warmup, tokens, body);
        Phase measured = run(clients, seconds, tokens, body);
        long stored = ordersOf(store.code());

        Histogram h = measured.latencyMicros();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("benchmark", "order placement, POST /api/v1/orders");
        result.put("clients", clients);
        result.put("seconds", measured.seconds());
        result.put("placed", measured.placed());
        result.put("failed", measured.failed());
        result.put("retried503", measured.retried());
        result.put("ordersPerSecond", Math.round(measured.ordersPerSecond() * 10) / 10.0);
        result.put("p50Millis", h.getValueAtPercentile(50) / 1000.0);
        result.put("p90Millis", h.getValueAtPercentile(90) / 1000.0);
        result.put("p99Millis", h.getValueAtPercentile(99) / 1000.0);
        result.put("maxMillis", h.getMaxValue() / 1000.0);
        result.put("cores", Runtime.getRuntime().availableProcessors());
        Path out = Path.of("target", "bench", "placement.json");
        Files.createDirectories(out.getParent());
        Files.writeString(
                out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
        System.out.printf(
                "%nOrder placement over the diner API (%d clients, %.1f s, %d cores)%n"
                        + "  orders/s %.1f   p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms"
                        + "   failed %d   503s retried %d%n  written to %s%n%n",
                clients,
                measured.seconds(),
                result.get("cores"),
                measured.ordersPerSecond(),
                result.get("p50Millis"),
                result.get("p90Millis"),
                result.get("p99Millis"),
                result.get("maxMillis"),
                measured.failed(),
                measured.retried(),
                out.toAbsolutePath());

        // Correctness only: every 201 is exactly one stored order, nothing was refused.
        assertThat(warm.failed() + measured.failed()).isZero();
        assertThat(stored).isEqualTo(warm.placed() + measured.placed());
    }

    /** {@code clients} diners placing orders back to back for {@code seconds}. */
    private Phase run(int clients, int seconds, List<String> tokens, byte[] body) throws Exception {
        HttpClient http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
        Histogram all = new Histogram(60_000_000L, 3);
        AtomicLong placed = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicLong retried = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<Histogram>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            String token = tokens.get(c);
            String ip = "10.77." + (c / 250) + "." + (c % 250 + 1);
            futures.add(
                    pool.submit(
                            () -> {
                                Histogram mine = new Histogram(60_000_000L, 3);
                                while (System.nanoTime() < end) {
                                    // A real client repeats a 503 with the same key, so the
                                    // latency recorded is what the diner waited for, retries in.
                                    String key = PlacementFixture.freshKey();
                                    long t0 = System.nanoTime();
                                    HttpResponse<String> response = null;
                                    for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
                                        if (attempt > 0) {
                                            retried.incrementAndGet();
                                            Thread.sleep(20L * attempt);
                                        }
                                        response =
                                                http.send(
                                                        request(token, key, ip, body),
                                                        HttpResponse.BodyHandlers.ofString());
                                        if (response.statusCode() != 503) {
                                            break;
                                        }
                                    }
                                    long micros = (System.nanoTime() - t0) / 1000;
                                    // 200: an earlier attempt of this key committed after all.
                                    if (response.statusCode() == 201
                                            || response.statusCode() == 200) {
                                        mine.recordValue(Math.min(micros, 60_000_000L));
                                        placed.incrementAndGet();
                                    } else if (failed.incrementAndGet() <= 3) {
                                        System.out.println(
                                                "placement refused: "
                                                        + response.statusCode()
                                                        + " "
                                                        + response.body());
                                    }
                                }
                                return mine;
                            }));
        }
        for (Future<Histogram> f : futures) {
            all.add(f.get());
        }
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        return new Phase(all, placed.get(), failed.get(), retried.get(), elapsed);
    }

    private HttpRequest request(String token, String key, String ip, byte[] body) {
        return HttpRequest.newBuilder(URI.create(orders.toString()))
                .header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", key)
                .header("X-Forwarded-For", ip)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    private long ordersOf(String storeCode) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM orders o JOIN stores s"
                                        + " ON s.store_id = o.store_id WHERE s.store_code = ?")) {
            ps.setString(1, storeCode);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
