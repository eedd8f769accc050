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
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.diner.DinerSessions;
import io.scanorder.order.menu.MenuFixtures;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.order.table.TableRegistry;
import io.scanorder.testkit.EmbeddedRedis;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The diner's view of placed orders: reading, live updates, refunds and best sellers. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class DinerOrderApiIT {
    private static final Actor PAYMENT = new Actor(ActorKind.PAYMENT, "scanorder-payment");
    private static final Actor STAFF = new Actor(ActorKind.STAFF, "staff-wang");
    private static final Actor KITCHEN = new Actor(ActorKind.SYSTEM, "kitchen-dispatcher");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject DataSource dataSource;
    @Inject TableRegistry tables;
    @Inject MenuService menus;
    @Inject DinerSessions sessions;
    @Inject OrderTransitions transitions;
    @Inject OrderUpdates updates;

    @TestHTTPResource("/")
    URL baseUrl;

    private PlacementFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new PlacementFixture(dataSource, tables, menus, sessions);
    }

    @Test
    void dinerReadsOwnOrderButNotSomeoneElses() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        UUID id = placeOne(store, token, "beef-noodles-s", 1);

        given().header("Authorization", "Bearer " + token)
                .get("/api/v1/orders/{id}", id)
                .then()
                .statusCode(200)
                .body("orderId", equalTo(id.toString()))
                .body("state", equalTo("PENDING_PAYMENT"))
                .body("pickupNumber", equalTo("A001"))
                .body("lines[0].name", equalTo("Braised beef noodles"))
                .body("events[0].to", equalTo("PENDING_PAYMENT"));
        given().header("Authorization", "Bearer " + fixture.token(freshOpenid()))
                .get("/api/v1/orders/{id}", id)
                .then()
                .statusCode(404)
                .body("reason", equalTo("NOT_FOUND"));
        given().header("Authorization", "Bearer " + token)
                .get("/api/v1/orders/{id}", "not-an-id")
                .then()
                .statusCode(400)
                .body("message", containsString("orderId"));
    }

    /**
     * Bound on a state change reaching an open stream: proves it arrives at all, through Redis or
     * by database polling (every 0.5 s). How fast it arrives is a benchmark matter; a tight bound
     * here only fails on a busy machine.
     */
    private static final Duration DELIVERY = Duration.ofSeconds(5);

    @Test
    void stateChangeReachesTheLiveStreamThroughRedis() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        UUID id = placeOne(store, token, "beef-noodles-l", 1);
        // A test before may have just brought Redis back.
        await().atMost(Duration.ofSeconds(30)).until(updates::live);

        try (EventStream events = EventStream.open(baseUrl, id, token)) {
            assertThat(events.next().get("state").asText()).isEqualTo("PENDING_PAYMENT");

            transitions.recordPayment(id, 3600, PAYMENT);
            JsonNode paid = await().atMost(DELIVERY).until(events::poll, e -> e != null);
            assertThat(paid.get("state").asText()).isEqualTo("PAID");
            assertThat(paid.get("paidFen").asLong()).isEqualTo(3600);

            transitions.move(id, OrderState.ACCEPTED, STAFF, "accepted");
            JsonNode accepted = await().atMost(DELIVERY).until(events::poll, e -> e != null);
            assertThat(accepted.get("state").asText()).isEqualTo("ACCEPTED");
        }
    }

    @Test
    void stateChangeReachesTheLiveStreamByPollingWhileRedisIsDown() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String openid = freshOpenid();
        UUID id = placeOne(store, fixture.token(openid), "lemon-tea-std", 2);
        EmbeddedRedis embedded = EmbeddedRedis.shared();
        embedded.stop();
        // Logged in again while Redis is down: a signed stateless session.
        String token = fixture.token(openid);
        try (EventStream events = EventStream.open(baseUrl, id, token)) {
            assertThat(events.next().get("state").asText()).isEqualTo("PENDING_PAYMENT");
            await().atMost(Duration.ofSeconds(10)).until(() -> !updates.live());

            transitions.recordPayment(id, 1600, PAYMENT);
            JsonNode paid = await().atMost(DELIVERY).until(events::poll, e -> e != null);
            assertThat(paid.get("state").asText()).isEqualTo("PAID");
        } finally {
            embedded.start();
        }
        await().atMost(Duration.ofSeconds(30)).until(updates::live);
    }

    /**
     * A Redis that hangs instead of refusing (here: {@code DEBUG SLEEP}) must not hold up the
     * database polling: the change arrives while Redis is still asleep, long before the Redis
     * client would give up on its commands.
     */
    @Test
    void stateChangeReachesTheLiveStreamWhileRedisHangs() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        UUID id = placeOne(store, token, "lemon-tea-std", 1);
        await().atMost(Duration.ofSeconds(30)).until(updates::live);
        EmbeddedRedis redis = EmbeddedRedis.shared();
        try (EventStream events = EventStream.open(baseUrl, id, token);
                Socket sleeper = new Socket(redis.host(), redis.port())) {
            assertThat(events.next().get("state").asText()).isEqualTo("PENDING_PAYMENT");
            long asleepAt = System.nanoTime();
            OutputStream out = sleeper.getOutputStream();
            out.write("DEBUG SLEEP 12\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            transitions.recordPayment(id, 800, PAYMENT);
            JsonNode paid =
                    await().atMost(Duration.ofSeconds(10)).until(events::poll, e -> e != null);
            assertThat(paid.get("state").asText()).isEqualTo("PAID");
            assertThat(Duration.ofNanos(System.nanoTime() - asleepAt))
                    .as("the change came by polling while Redis slept, not after it woke")
                    .isLessThan(Duration.ofSeconds(11));
            sleeper.setSoTimeout(30_000);
            assertThat(sleeper.getInputStream().read())
                    .as("Redis answers DEBUG SLEEP")
                    .isEqualTo('+');
        }
        await().atMost(Duration.ofSeconds(30)).until(updates::live);
    }

    @Test
    void refundRulesApplyThroughTheDinerApi() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());

        // Before acceptance: self-service, the order starts refunding at once.
        UUID paid = placeOne(store, token, "beef-noodles-l", 1);
        transitions.recordPayment(paid, 3600, PAYMENT);
        String key = freshKey();
        String refundId =
                refund(token, paid, key, Map.of("reason", "ordered twice"))
                        .statusCode(200)
                        .body("refundState", equalTo("PROCESSING"))
                        .body("order.state", equalTo("REFUNDING"))
                        .body("order.refunds[0].refundFen", equalTo(3600))
                        .extract()
                        .path("refundId");
        refund(token, paid, key, Map.of("reason", "ordered twice"))
                .statusCode(200)
                .body("refundId", equalTo(refundId));
        // Only staff add a refund to a REFUNDING order.
        refund(token, paid, freshKey(), Map.of("refundFen", 100, "reason", "and the tea"))
                .statusCode(403)
                .body("reason", equalTo("NOT_ALLOWED"))
                .body(
                        "message",
                        containsString(
                                "only STAFF may add a further refund to a REFUNDING order, not"
                                        + " DINER"));

        // While cooking: the request waits for staff approval and the order keeps cooking.
        UUID cooking = placeOne(store, token, "beef-noodles-l", 1);
        walk(cooking, OrderState.COOKING);
        refund(token, cooking, freshKey(), Map.of("refundFen", 1000, "reason", "too salty"))
                .statusCode(200)
                .body("refundState", equalTo("AWAITING_APPROVAL"))
                .body("order.state", equalTo("COOKING"));

        // Once served: no refund.
        UUID served = placeOne(store, token, "beef-noodles-l", 1);
        walk(served, OrderState.SERVED);
        refund(token, served, freshKey(), Map.of("reason", "changed my mind"))
                .statusCode(409)
                .body("reason", equalTo("ORDER_STATE_CONFLICT"))
                .body("message", containsString("SERVED"));

        refund(token, paid, null, Map.of("reason", "x"))
                .statusCode(400)
                .body("reason", equalTo("IDEMPOTENCY_KEY_MISSING"));
        refund(fixture.token(freshOpenid()), cooking, freshKey(), Map.of("reason", "not mine"))
                .statusCode(404);
    }

    @Test
    void bestSellersRankTodaysQuantitiesAndSayWhenRedisIsDown() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        placeOne(store, token, "beef-noodles-l", 2);
        placeOne(store, token, "cucumber-std", 1);
        place(token, freshKey(), freshIp(), body(store.scene(), "cucumber-std", 2, "lunch-set", 1))
                .statusCode(201);

        given().queryParam("limit", 2)
                .get("/api/v1/stores/{s}/best-sellers", store.code())
                .then()
                .statusCode(200)
                .body("degraded", equalTo(false))
                .body("items.size()", equalTo(2))
                .body("items[0].sku", equalTo("cucumber-std"))
                .body("items[0].name", equalTo("Smashed cucumber"))
                .body("items[0].count", equalTo(3))
                .body("items[1].sku", equalTo("beef-noodles-l"))
                .body("items[1].name", equalTo("Braised beef noodles (large)"))
                .body("items[1].count", equalTo(2));
        given().queryParam("limit", 0)
                .get("/api/v1/stores/{s}/best-sellers", store.code())
                .then()
                .statusCode(400)
                .body("message", containsString("limit"));

        EmbeddedRedis embedded = EmbeddedRedis.shared();
        embedded.stop();
        try {
            given().get("/api/v1/stores/{s}/best-sellers", store.code())
                    .then()
                    .statusCode(200)
                    .header(BestSellerResource.DEGRADED_HEADER, "true")
                    .body("degraded", equalTo(true))
                    .body("items", empty());
        } finally {
            embedded.start();
        }
    }

    @Test
    void aDinerRefundsOnePortionOfALineAndCannotAskForMoreThanIsLeft() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        UUID id = placeOne(store, token, "beef-noodles-l", 2);
        transitions.recordPayment(id, 7200, PAYMENT);
        transitions.move(id, OrderState.ACCEPTED, STAFF, "test");
        String lineId =
                given().header("Authorization", "Bearer " + token)
                        .get("/api/v1/orders/{id}", id)
                        .then()
                        .statusCode(200)
                        .extract()
                        .path("lines[0].lineId");

        refund(
                        token,
                        id,
                        freshKey(),
                        Map.of(
                                "reason",
                                "one bowl was cold",
                                "lines",
                                List.of(Map.of("lineId", lineId, "quantity", 1))))
                .statusCode(200)
                .body("refundState", equalTo("AWAITING_APPROVAL"))
                .body("order.refunds[0].refundFen", equalTo(3600))
                .body("order.refunds[0].lines[0].lineId", equalTo(lineId))
                .body("order.refunds[0].lines[0].quantity", equalTo(1));
        refund(
                        token,
                        id,
                        freshKey(),
                        Map.of(
                                "reason",
                                "both bowls were cold",
                                "lines",
                                List.of(Map.of("lineId", lineId, "quantity", 2))))
                .statusCode(422)
                .body("reason", equalTo("REFUND_AMOUNT_OUT_OF_RANGE"))
                .body("message", containsString("lines[0].quantity 2 exceeds"))
                .body("message", containsString("ordered 2"))
                .body("message", containsString("left 1"));
        refund(
                        token,
                        id,
                        freshKey(),
                        Map.of(
                                "reason",
                                "cold",
                                "lines",
                                List.of(Map.of("lineId", "bowl-1", "quantity", 1))))
                .statusCode(400)
                .body("message", containsString("lines[0].lineId"));
    }

    private UUID placeOne(PlacementFixture.Store store, String token, String sku, int quantity) {
        String id =
                place(token, freshKey(), freshIp(), body(store.scene(), sku, quantity))
                        .statusCode(201)
                        .extract()
                        .path("orderId");
        return UUID.fromString(id);
    }

    private void walk(UUID id, OrderState to) {
        transitions.recordPayment(id, 3600, PAYMENT);
        for (OrderState s :
                new OrderState[] {
                    OrderState.ACCEPTED,
                    OrderState.DISPATCHING,
                    OrderState.COOKING,
                    OrderState.READY,
                    OrderState.SERVED
                }) {
            Actor actor = s == OrderState.DISPATCHING || s == OrderState.COOKING ? KITCHEN : STAFF;
            transitions.move(id, s, actor, "test");
            if (s == to) {
                return;
            }
        }
    }

    private static ValidatableResponse refund(
            String token, UUID orderId, String key, Map<String, Object> body) {
        var request =
                given().header("Authorization", "Bearer " + token)
                        .contentType(ContentType.JSON)
                        .body(body);
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/v1/orders/{id}/refunds", orderId).then();
    }

    /** A real SSE client (java.net.http) collecting the JSON data of each event. */
    private static final class EventStream implements AutoCloseable {
        private final BlockingQueue<JsonNode> events = new LinkedBlockingQueue<>();
        private final CompletableFuture<HttpResponse<Stream<String>>> response;

        private EventStream(HttpClient client, HttpRequest request) {
            this.response =
                    client.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                            .thenApply(
                                    r -> {
                                        Thread reader =
                                                new Thread(() -> read(r.body()), "sse-test-reader");
                                        reader.setDaemon(true);
                                        reader.start();
                                        return r;
                                    });
        }

        static EventStream open(URL base, UUID orderId, String token) throws Exception {
            HttpRequest request =
                    HttpRequest.newBuilder(
                                    URI.create(base.toString())
                                            .resolve("/api/v1/orders/" + orderId + "/events"))
                            .header("Authorization", "Bearer " + token)
                            .header("Accept", "text/event-stream")
                            .GET()
                            .build();
            EventStream stream = new EventStream(HttpClient.newHttpClient(), request);
            HttpResponse<Stream<String>> r = stream.response.get();
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse(""))
                    .startsWith("text/event-stream");
            return stream;
        }

        /** Reads events until the stream ends or the test closes it. */
        private void read(Stream<String> lines) {
            try {
                lines.filter(l -> l.startsWith("data:")).forEach(this::add);
            } catch (UncheckedIOException closed) {
                // close() ended the stream; awaitility would report this as a test failure.
            }
        }

        private void add(String line) {
            try {
                events.add(JSON.readTree(line.substring("data:".length()).trim()));
            } catch (IOException e) {
                throw new IllegalStateException("event data is not JSON: " + line, e);
            }
        }

        /** The next event, waiting up to 5 s for it. */
        JsonNode next() throws InterruptedException {
            JsonNode e = events.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(e).as("an event within 5 s").isNotNull();
            return e;
        }

        JsonNode poll() {
            return events.poll();
        }

        @Override
        public void close() {
            response.thenAccept(r -> r.body().close());
        }
    }
}
