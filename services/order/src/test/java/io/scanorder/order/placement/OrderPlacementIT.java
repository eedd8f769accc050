package io.scanorder.order.placement;

import static io.restassured.RestAssured.given;
import static io.scanorder.order.placement.PlacementFixture.body;
import static io.scanorder.order.placement.PlacementFixture.freshIp;
import static io.scanorder.order.placement.PlacementFixture.freshKey;
import static io.scanorder.order.placement.PlacementFixture.freshOpenid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.diner.DinerSessions;
import io.scanorder.order.menu.Menu;
import io.scanorder.order.menu.MenuFixtures;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.table.TableRegistry;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderLineInput;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.PlaceOrderRequest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Placing orders through the diner REST API and gRPC against real PostgreSQL and Redis. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class OrderPlacementIT {
    @Inject DataSource dataSource;
    @Inject TableRegistry tables;
    @Inject MenuService menus;
    @Inject DinerSessions sessions;
    @Inject OrderPlacement placement;

    private PlacementFixture fixture;

    @BeforeEach
    void setUp() {
        fixture = new PlacementFixture(dataSource, tables, menus, sessions);
    }

    static ValidatableResponse place(
            String token, String key, String ip, Map<String, Object> body) {
        var request =
                given().header("X-Forwarded-For", ip).contentType(ContentType.JSON).body(body);
        if (token != null) {
            request = request.header("Authorization", "Bearer " + token);
        }
        if (key != null) {
            request = request.header("Idempotency-Key", key);
        }
        return request.when().post("/api/v1/orders").then();
    }

    @Test
    void submissionLatencyIsMeasuredPerStoreAndOutcomeForTheLatencyAlert() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        String key = freshKey();
        String ip = freshIp();
        Map<String, Object> order = body(store.scene(), "cucumber-std", 1);
        place(token, key, ip, order).statusCode(201);
        place(token, key, ip, order).statusCode(200);
        place(token, freshKey(), ip, body(store.scene(), "no-such-sku", 1)).statusCode(422);

        String metrics =
                given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String outcome : List.of("placed", "replayed", "refused")) {
            assertThat(
                            sample(
                                    metrics,
                                    "scanorder_order_submit_seconds_count",
                                    store.code(),
                                    outcome))
                    .isEqualTo(1.0);
        }
        // A histogram, so the alert's histogram_quantile over _bucket works.
        assertThat(sample(metrics, "scanorder_order_submit_seconds_bucket", store.code(), "placed"))
                .isEqualTo(1.0);
    }

    /** The value of {@code name} for the store and outcome (the +Inf bucket of a histogram). */
    private static double sample(String metrics, String name, String store, String outcome) {
        String line =
                metrics.lines()
                        .filter(l -> l.startsWith(name + "{"))
                        .filter(l -> l.contains("store=\"" + store + "\""))
                        .filter(l -> l.contains("outcome=\"" + outcome + "\""))
                        .filter(l -> !l.contains("le=") || l.contains("le=\"+Inf\""))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(name + " missing for " + outcome));
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Test
    void orderIsPricedFromTheCurrentMenuAndGetsTheFirstPickupNumberOfTheDay() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String openid = freshOpenid();
        Instant before = Instant.now();

        JsonPath order =
                place(
                                fixture.token(openid),
                                freshKey(),
                                freshIp(),
                                body(store.scene(), "beef-noodles-l", 2, "cucumber-std", 1))
                        .statusCode(201)
                        .header("Location", containsString("/api/v1/orders/"))
                        .body("state", equalTo("PENDING_PAYMENT"))
                        .body("pickupNumber", equalTo("A001"))
                        .body("storeCode", equalTo(store.code()))
                        .body("tableCode", equalTo(store.tableCode()))
                        .body("totalFen", equalTo(2 * 3600 + 1200))
                        .body("partySize", equalTo(2))
                        .body("lines[0].skuCode", equalTo("beef-noodles-l"))
                        .body("lines[0].name", equalTo("Braised beef noodles"))
                        .body("lines[0].spec", equalTo("large"))
                        .body("lines[0].unitPriceFen", equalTo(3600))
                        .body("lines[0].lineTotalFen", equalTo(7200))
                        .body("lines[1].unitPriceFen", equalTo(1200))
                        .body("events[0].from", equalTo(null))
                        .body("events[0].to", equalTo("PENDING_PAYMENT"))
                        .body("events[0].actorKind", equalTo("DINER"))
                        .extract()
                        .jsonPath();

        assertThat(fixture.placedBy(order.getString("orderId"))).isEqualTo(openid);
        // The service-wide default payment timeout (15 minutes) applies: the store sets none.
        Instant deadline = Instant.parse(order.getString("paymentDeadline"));
        assertThat(deadline)
                .isBetween(
                        before.plus(Duration.ofMinutes(15)).minusSeconds(1),
                        Instant.now().plus(Duration.ofMinutes(15)).plusSeconds(1));

        place(
                        fixture.token(freshOpenid()),
                        freshKey(),
                        freshIp(),
                        body(store.scene(), "lunch-set", 1))
                .statusCode(201)
                .body("pickupNumber", equalTo("A002"))
                .body("totalFen", equalTo(3900));
    }

    @Test
    void republishingTheMenuNeverChangesAPlacedOrder() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        String ip = freshIp();
        String first =
                place(token, freshKey(), ip, body(store.scene(), "beef-noodles-s", 1))
                        .statusCode(201)
                        .body("totalFen", equalTo(2800))
                        .extract()
                        .path("orderId");

        Menu dearer =
                MenuFixtures.withItem(
                        0,
                        i ->
                                MenuFixtures.withSkus(
                                        i,
                                        List.of(
                                                new Menu.Sku("beef-noodles-s", "small", 3100, 900),
                                                new Menu.Sku(
                                                        "beef-noodles-l", "large", 3900, 1200))));
        menus.publish(store.code(), "", dearer);

        place(token, freshKey(), ip, body(store.scene(), "beef-noodles-s", 1))
                .statusCode(201)
                .body("totalFen", equalTo(3100));
        given().header("Authorization", "Bearer " + token)
                .get("/api/v1/orders/{id}", first)
                .then()
                .statusCode(200)
                .body("totalFen", equalTo(2800))
                .body("lines[0].unitPriceFen", equalTo(2800));
    }

    @Test
    void soldOutAndUnknownSkusAreRefusedNamingTheLineAndSku() throws Exception {
        PlacementFixture.Store store =
                fixture.store(MenuFixtures.withItem(1, MenuFixtures::soldOut));
        String token = fixture.token(freshOpenid());
        String ip = freshIp();

        place(token, freshKey(), ip, body(store.scene(), "beef-noodles-l", 1, "cucumber-std", 2))
                .statusCode(409)
                .body("reason", equalTo("SKU_SOLD_OUT"))
                .body("message", containsString("lines[1].skuCode: 'cucumber-std'"))
                .body("message", containsString("sold out"));
        place(token, freshKey(), ip, body(store.scene(), "dragon-soup", 1))
                .statusCode(422)
                .body("reason", equalTo("SKU_UNKNOWN"))
                .body("message", containsString("lines[0].skuCode: 'dragon-soup'"))
                .body(
                        "message",
                        containsString("not on the current menu of store " + store.code()));
    }

    @Test
    void orderAboveTheStoreLimitIsRefused() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        fixture.setOrderLimit(store.code(), 10_000);
        String token = fixture.token(freshOpenid());
        String ip = freshIp();

        place(token, freshKey(), ip, body(store.scene(), "beef-noodles-l", 3))
                .statusCode(422)
                .body("reason", equalTo("ORDER_LIMIT_EXCEEDED"))
                .body("message", containsString("10800 fen exceeds the limit of 10000 fen"));
        place(token, freshKey(), ip, body(store.scene(), "beef-noodles-l", 2)).statusCode(201);
    }

    @Test
    void malformedRequestsAreRefusedNamingTheField() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        String ip = freshIp();

        place(token, freshKey(), ip, body(store.scene(), "beef-noodles-l", 0))
                .statusCode(400)
                .body("reason", equalTo("INVALID_REQUEST"))
                .body("message", containsString("lines[0].quantity: must be 1-99, got 0"));
        place(token, freshKey(), ip, body(store.scene(), "beef-noodles-l", 100))
                .statusCode(400)
                .body("message", containsString("lines[0].quantity"));
        place(token, freshKey(), ip, Map.of("tableScene", store.scene(), "lines", List.of()))
                .statusCode(400)
                .body("message", containsString("lines: an order needs at least one line"));
        place(token, null, ip, body(store.scene(), "beef-noodles-l", 1))
                .statusCode(400)
                .body("reason", equalTo("IDEMPOTENCY_KEY_MISSING"));
        place(token, "k".repeat(65), ip, body(store.scene(), "beef-noodles-l", 1))
                .statusCode(400)
                .body("message", containsString("Idempotency-Key"));
        place(null, freshKey(), ip, body(store.scene(), "beef-noodles-l", 1))
                .statusCode(401)
                .body("reason", equalTo("SESSION_INVALID"));
    }

    @Test
    void tamperedOrUnknownTableCodesGetTheTableErrors() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        String token = fixture.token(freshOpenid());
        String ip = freshIp();
        String scene = store.scene();
        char last = scene.charAt(scene.length() - 1);
        String tampered = scene.substring(0, scene.length() - 1) + (last == 'A' ? 'B' : 'A');

        place(token, freshKey(), ip, body(tampered, "beef-noodles-l", 1))
                .statusCode(403)
                .body("reason", equalTo("TABLE_CODE_SIGNATURE"));
        place(token, freshKey(), ip, body("not-a-scene", "beef-noodles-l", 1))
                .statusCode(400)
                .body("reason", equalTo("TABLE_CODE_MALFORMED"));
        // A diner cannot skip the signature by sending the bare 12-digit code.
        place(token, freshKey(), ip, body(store.tableCode(), "beef-noodles-l", 1))
                .statusCode(400)
                .body("message", containsString("signed 30-character table scene"));
    }

    @Test
    void concurrentPlacementsInOneStoreGetDistinctConsecutivePickupNumbers() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        int orders = 20;
        ExecutorService pool = Executors.newFixedThreadPool(orders);
        try {
            List<Future<String>> numbers = new ArrayList<>();
            for (int i = 0; i < orders; i++) {
                Actor diner = new Actor(ActorKind.DINER, freshOpenid());
                Callable<String> call =
                        () ->
                                placement
                                        .place(
                                                new PlaceOrderCommand(
                                                        store.scene(),
                                                        null,
                                                        freshKey(),
                                                        diner,
                                                        List.of(
                                                                new PlaceOrderCommand.Line(
                                                                        "lemon-tea-std", 1, "")),
                                                        "",
                                                        1),
                                                () -> {})
                                        .order()
                                        .pickupNumber();
                numbers.add(pool.submit(call));
            }
            Set<String> seen = new HashSet<>();
            for (Future<String> f : numbers) {
                seen.add(f.get());
            }
            Set<String> expected = new HashSet<>();
            for (int n = 1; n <= orders; n++) {
                expected.add(String.format("A%03d", n));
            }
            assertThat(seen).isEqualTo(expected);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void dinerIsRateLimitedPerOpenidAndPerIpWithRetryAfter() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        // %test allows 4 new orders per openid and 6 per IP per minute.
        String token = fixture.token(freshOpenid());
        String placedKey = freshKey();
        Map<String, Object> tea = body(store.scene(), "lemon-tea-std", 1);
        place(token, placedKey, freshIp(), tea).statusCode(201);
        for (int i = 0; i < 3; i++) {
            place(token, freshKey(), freshIp(), tea).statusCode(201);
        }
        place(token, freshKey(), freshIp(), tea)
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .body("reason", equalTo("RATE_LIMITED"))
                .body("message", containsString("too many new orders from this diner"));
        // A repeat of a placed order is not a new order: still answered.
        place(token, placedKey, freshIp(), tea).statusCode(200);

        String ip = freshIp();
        for (int i = 0; i < 6; i++) {
            place(fixture.token(freshOpenid()), freshKey(), ip, tea).statusCode(201);
        }
        place(fixture.token(freshOpenid()), freshKey(), ip, tea)
                .statusCode(429)
                .header("Retry-After", notNullValue())
                .body("message", containsString("too many new orders from IP " + ip));
    }

    @Test
    void staffPlaceOrdersOverGrpcWithTheBareTableCode() throws Exception {
        PlacementFixture.Store store = fixture.store(MenuFixtures.menu());
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
        try {
            OrderServiceGrpc.OrderServiceBlockingStub stub =
                    OrderServiceGrpc.newBlockingStub(channel);
            PlaceOrderRequest.Builder request =
                    PlaceOrderRequest.newBuilder()
                            .setStoreCode(store.code())
                            .setTableCode(store.tableCode())
                            .setIdempotencyKey(freshKey())
                            .setPlacedBy(
                                    io.scanorder.proto.order.v1.Actor.newBuilder()
                                            .setKind(
                                                    io.scanorder.proto.order.v1.ActorKind
                                                            .ACTOR_KIND_STAFF)
                                            .setId("staff-li"))
                            .addLines(
                                    OrderLineInput.newBuilder()
                                            .setSkuCode("beef-noodles-s")
                                            .setQuantity(2)
                                            .setNote("no coriander"))
                            .setPartySize(3);

            Order order = stub.placeOrder(request.build());
            assertThat(order.getState())
                    .isEqualTo(io.scanorder.proto.order.v1.OrderState.ORDER_STATE_PENDING_PAYMENT);
            assertThat(order.getTotalFen()).isEqualTo(5600);
            assertThat(order.getPickupNumber()).isEqualTo("A001");
            assertThat(order.getLines(0).getNote()).isEqualTo("no coriander");
            assertThat(stub.placeOrder(request.build()).getOrderId()).isEqualTo(order.getOrderId());

            assertThatThrownBy(() -> stub.placeOrder(request.setPartySize(4).build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> {
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.ALREADY_EXISTS);
                                assertThat(e.getStatus().getDescription())
                                        .contains("already used for a different order request");
                            });
            assertThatThrownBy(
                            () ->
                                    stub.placeOrder(
                                            request.setIdempotencyKey(freshKey())
                                                    .setStoreCode(
                                                            "999".equals(store.code())
                                                                    ? "998"
                                                                    : "999")
                                                    .build()))
                    .isInstanceOfSatisfying(
                            StatusRuntimeException.class,
                            e -> {
                                assertThat(e.getStatus().getCode())
                                        .isEqualTo(Status.Code.INVALID_ARGUMENT);
                                assertThat(e.getStatus().getDescription()).contains("store_code");
                            });
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void openApiDocumentListsPlaceOrderWithItsIdempotencyKeyHeader() {
        given().queryParam("format", "json")
                .get("/q/openapi")
                .then()
                .statusCode(200)
                .body(
                        "paths.'/api/v1/orders'.post.parameters.findAll { it.in == 'header' }.name",
                        hasItem("Idempotency-Key"))
                .body(
                        "paths.'/api/v1/orders'.post.parameters.find { it.name == 'Idempotency-Key' }.required",
                        equalTo(true))
                .body("paths.'/api/v1/orders/{orderId}/events'.get", notNullValue());
    }
}
