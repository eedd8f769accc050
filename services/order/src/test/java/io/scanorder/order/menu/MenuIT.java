package io.scanorder.order.menu;

import static io.restassured.RestAssured.given;
import static io.scanorder.order.menu.MenuFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.google.rpc.BadRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.grpc.MenuProtoMapper;
import io.scanorder.order.redis.RedisHealth;
import io.scanorder.proto.order.v1.GetMenuRequest;
import io.scanorder.proto.order.v1.MenuAdminGrpc;
import io.scanorder.proto.order.v1.MenuRevision;
import io.scanorder.proto.order.v1.PublishMenuRequest;
import io.scanorder.proto.order.v1.PublishMenuResponse;
import io.scanorder.testkit.EmbeddedRedis;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class MenuIT {

    @Inject DataSource dataSource;
    @Inject RedisDataSource redis;
    @Inject RedisHealth redisHealth;
    @Inject MenuService menus;

    @TestHTTPResource("/")
    URL root;

    private ManagedChannel channel;
    private MenuAdminGrpc.MenuAdminBlockingStub admin;

    @BeforeEach
    void openChannel() {
        int grpcPort =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress(root.getHost(), grpcPort).usePlaintext().build();
        admin = MenuAdminGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void publishedMenuIsStoredAndReturnedByGetMenu() throws SQLException {
        String store = newStore();

        PublishMenuResponse published = publish(store, menu());

        assertThat(published.getAlreadyPublished()).isFalse();
        assertThat(published.getItemCount()).isEqualTo(3);
        assertThat(published.getRevisionHash()).isEqualTo(MenuCanonical.revisionHash(menu()));
        MenuRevision current =
                admin.getMenu(GetMenuRequest.newBuilder().setStoreCode(store).build());
        assertThat(current.getRevisionHash()).isEqualTo(published.getRevisionHash());
        assertThat(current.getCurrent()).isTrue();
        assertThat(MenuProtoMapper.toDomain(current.getMenu())).isEqualTo(menu());
        assertThat(revisionRows(store)).isEqualTo(1);
    }

    @Test
    void republishingTheSameContentChangesNothing() throws SQLException {
        String store = newStore();
        PublishMenuResponse first = publish(store, menu());
        // Same content, allergens listed in another order: the same revision.
        Menu reordered = withItem(0, i -> withAllergens(i, List.of("soy", "gluten")));

        PublishMenuResponse again =
                admin.publishMenu(
                        PublishMenuRequest.newBuilder()
                                .setStoreCode(store)
                                .setRevisionHash(first.getRevisionHash())
                                .setMenu(MenuProtoMapper.toProto(reordered))
                                .build());

        assertThat(again.getAlreadyPublished()).isTrue();
        assertThat(again.getRevisionHash()).isEqualTo(first.getRevisionHash());
        assertThat(revisionRows(store)).isEqualTo(1);
    }

    @Test
    void concurrentPublishesOfOneMenuWriteOneRevision() throws Exception {
        String store = newStore();
        int publishers = 8;
        java.util.concurrent.ExecutorService pool =
                java.util.concurrent.Executors.newFixedThreadPool(publishers);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try {
            List<java.util.concurrent.Future<PublishMenuResponse>> results =
                    new java.util.ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                results.add(
                        pool.submit(
                                () -> {
                                    go.await();
                                    return publish(store, menu());
                                }));
            }
            go.countDown();
            List<PublishMenuResponse> responses = new java.util.ArrayList<>();
            for (var f : results) {
                responses.add(f.get(60, TimeUnit.SECONDS));
            }

            assertThat(responses)
                    .extracting(PublishMenuResponse::getRevisionHash)
                    .containsOnly(MenuCanonical.revisionHash(menu()));
            assertThat(responses).filteredOn(r -> !r.getAlreadyPublished()).hasSize(1);
            assertThat(revisionRows(store)).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void changedContentBecomesANewCurrentRevisionAndRevertingReactivatesTheOldOne()
            throws SQLException {
        String store = newStore();
        PublishMenuResponse first = publish(store, menu());
        Menu soldOutCucumber = withItem(1, MenuFixtures::soldOut);

        PublishMenuResponse second = publish(store, soldOutCucumber);

        assertThat(second.getAlreadyPublished()).isFalse();
        assertThat(second.getRevisionHash()).isNotEqualTo(first.getRevisionHash());
        assertThat(menus.current(store).revisionHash()).isEqualTo(second.getRevisionHash());
        MenuRevision old =
                admin.getMenu(
                        GetMenuRequest.newBuilder()
                                .setStoreCode(store)
                                .setRevisionHash(first.getRevisionHash())
                                .build());
        assertThat(old.getCurrent()).isFalse();
        assertThat(old.getMenu().getItems(1).getSoldOut()).isFalse();

        PublishMenuResponse reverted = publish(store, menu());

        assertThat(reverted.getAlreadyPublished()).isTrue();
        assertThat(reverted.getRevisionHash()).isEqualTo(first.getRevisionHash());
        assertThat(menus.current(store).revisionHash()).isEqualTo(first.getRevisionHash());
        assertThat(revisionRows(store)).isEqualTo(2);
    }

    @Test
    void priceSnapshotFromARevisionNeverChangesWhenTheMenuIsRepublished() {
        String store = newStore();
        String first = publish(store, menu()).getRevisionHash();
        Map<String, PriceSnapshot> before =
                menus.snapshot(store, first, List.of("beef-noodles-l", "lunch-set"));

        Menu dearer =
                withItem(
                        0,
                        i ->
                                withSkus(
                                        withStation(i, "wok"),
                                        List.of(
                                                new Menu.Sku("beef-noodles-s", "small", 3000, 900),
                                                new Menu.Sku(
                                                        "beef-noodles-l", "large", 4200, 1200))));
        String second = publish(store, dearer).getRevisionHash();

        Map<String, PriceSnapshot> after =
                menus.snapshot(store, first, List.of("beef-noodles-l", "lunch-set"));
        assertThat(after).isEqualTo(before);
        PriceSnapshot large = after.get("beef-noodles-l");
        assertThat(large.priceFen()).isEqualTo(3600);
        assertThat(large.name()).isEqualTo("Braised beef noodles");
        assertThat(large.spec()).isEqualTo("large");
        assertThat(large.station()).isEqualTo("hot");
        assertThat(large.prepMinutes()).isEqualTo(12);
        assertThat(large.revisionHash()).isEqualTo(first);
        PriceSnapshot combo = after.get("lunch-set");
        assertThat(combo.priceFen()).isEqualTo(3900);
        assertThat(combo.components())
                .extracting(PriceSnapshot.ComboPart::skuCode, PriceSnapshot.ComboPart::station)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("beef-noodles-s", "hot"),
                        org.assertj.core.groups.Tuple.tuple("lemon-tea-std", "bar"));

        PriceSnapshot newLarge =
                menus.snapshot(store, second, List.of("beef-noodles-l")).get("beef-noodles-l");
        assertThat(newLarge.priceFen()).isEqualTo(4200);
        assertThat(newLarge.station()).isEqualTo("wok");
    }

    @Test
    void snapshotOfACodeTheRevisionDoesNotSellNamesTheCode() {
        String store = newStore();
        String hash = publish(store, menu()).getRevisionHash();

        assertThatThrownBy(() -> menus.snapshot(store, hash, List.of("cucumber-std", "ghost")))
                .isInstanceOf(InvalidMenuException.class)
                .hasMessage("codes[1] 'ghost' is not sold in menu revision " + hash);
    }

    @Test
    void invalidMenuIsRefusedWithTheFieldPathAndBadRequestDetails() throws SQLException {
        String store = newStore();
        Menu bad =
                withItem(
                        0,
                        i ->
                                withSkus(
                                        i,
                                        List.of(
                                                new Menu.Sku("beef-noodles-s", "small", 2800, 0),
                                                new Menu.Sku("beef-noodles-l", "large", 0, 0))));
        Menu worse =
                new Menu(
                        bad.categories(),
                        bad.items(),
                        List.of(
                                new Menu.Combo(
                                        "lunch-set",
                                        "Lunch set",
                                        3900,
                                        List.of(new Menu.Component("ghost", 1)))));

        assertThatThrownBy(() -> publish(store, worse))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription())
                                    .isEqualTo(
                                            "menu.items[0].skus[1].price_fen must be > 0, got 0"
                                                    + " (and 1 more)");
                            BadRequest details = badRequest(e);
                            assertThat(details.getFieldViolationsList())
                                    .extracting(BadRequest.FieldViolation::getField)
                                    .containsExactly(
                                            "menu.items[0].skus[1].price_fen",
                                            "menu.combos[0].components[0].sku_code");
                        });
        assertThat(revisionRows(store)).isZero();
    }

    @Test
    void stationTheStoreDoesNotHaveIsRefused() throws SQLException {
        String store = newStore("hot", "cold");

        assertThatThrownBy(() -> publish(store, menu()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription())
                                    .isEqualTo(
                                            "menu.items[2].station 'bar' is not a station of"
                                                    + " this store [cold, hot]");
                        });
        assertThat(revisionRows(store)).isZero();
        assertThat(publish(store, withItem(2, i -> withStation(i, "cold"))).getItemCount())
                .isEqualTo(3);
    }

    @Test
    void statusCodesSayWhatIsWrong() {
        String store = newStore();

        assertThat(statusOf(() -> publish("99", menu()))).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(statusOf(() -> publish(unusedStoreCode(), menu())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(
                        statusOf(
                                () ->
                                        admin.getMenu(
                                                GetMenuRequest.newBuilder()
                                                        .setStoreCode(store)
                                                        .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        assertThat(
                        statusOf(
                                () ->
                                        admin.publishMenu(
                                                PublishMenuRequest.newBuilder()
                                                        .setStoreCode(store)
                                                        .build())))
                .isEqualTo(Status.Code.INVALID_ARGUMENT);
        String hash = publish(store, menu()).getRevisionHash();
        assertThat(
                        statusOf(
                                () ->
                                        admin.getMenu(
                                                GetMenuRequest.newBuilder()
                                                        .setStoreCode(store)
                                                        .setRevisionHash("0".repeat(64))
                                                        .build())))
                .isEqualTo(Status.Code.NOT_FOUND);
        StatusRuntimeException mismatch =
                catchStatus(
                        () ->
                                admin.publishMenu(
                                        PublishMenuRequest.newBuilder()
                                                .setStoreCode(store)
                                                .setRevisionHash("f".repeat(64))
                                                .setMenu(MenuProtoMapper.toProto(menu()))
                                                .build()));
        assertThat(mismatch.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(mismatch.getStatus().getDescription())
                .startsWith("revision_hash '" + "f".repeat(64) + "' does not match")
                .endsWith(hash);
    }

    @Test
    void dinerMenuIsServedAsJsonWithTheRevisionAsETag() {
        String store = newStore();
        String hash = publish(store, menu()).getRevisionHash();

        Response ok = given().get("/api/v1/stores/{s}/menu", store);

        ok.then()
                .statusCode(200)
                .header("ETag", "\"" + hash + "\"")
                .body("revisionHash", equalTo(hash))
                .body("categories[0].code", equalTo("noodles"))
                .body("categories[0].items[0].spuCode", equalTo("beef-noodles"))
                .body("categories[0].items[0].prepMinutes", equalTo(12))
                .body("categories[0].items[0].allergens", equalTo(List.of("gluten", "soy")))
                .body("categories[0].items[0].skus[1].priceFen", equalTo(3600))
                .body("categories[1].items[0].soldOut", equalTo(false))
                .body("combos[0].comboCode", equalTo("lunch-set"))
                .body(not(containsString("costFen")));
        given().header("If-None-Match", "\"" + hash + "\"")
                .get("/api/v1/stores/{s}/menu", store)
                .then()
                .statusCode(304);

        String next = publish(store, withItem(1, MenuFixtures::soldOut)).getRevisionHash();

        given().header("If-None-Match", "\"" + hash + "\"")
                .get("/api/v1/stores/{s}/menu", store)
                .then()
                .statusCode(200)
                .header("ETag", "\"" + next + "\"")
                .body("categories[1].items[0].soldOut", equalTo(true));
        given().get("/api/v1/stores/{s}/menu", unusedStoreCode())
                .then()
                .statusCode(404)
                .body("message", containsString("is not known"));
        given().get("/api/v1/stores/{s}/menu", "abc").then().statusCode(400);
    }

    @Test
    void currentMenuIsCachedInRedisUnderItsRevisionAndInvalidatedOnPublish() {
        String store = newStore();
        String hash = publish(store, menu()).getRevisionHash();

        menus.current(store);

        assertThat(redis.value(String.class).get(MenuCache.pointerKey(store))).isEqualTo(hash);
        assertThat(redis.value(String.class).get(MenuCache.revisionKey(store, hash)))
                .contains("beef-noodles");

        String next = publish(store, withItem(1, MenuFixtures::soldOut)).getRevisionHash();

        assertThat(redis.value(String.class).get(MenuCache.pointerKey(store))).isNull();
        assertThat(menus.current(store).revisionHash()).isEqualTo(next);
        assertThat(redis.value(String.class).get(MenuCache.pointerKey(store))).isEqualTo(next);
    }

    @Test
    void menuIsServedFromTheDatabaseWhileRedisIsDownAndTheGaugeSaysSo() {
        String store = newStore();
        publish(store, menu());
        given().get("/api/v1/stores/{s}/menu", store).then().statusCode(200);
        EmbeddedRedis embedded = EmbeddedRedis.shared();
        embedded.stop();
        try {
            String next = publish(store, withItem(1, MenuFixtures::soldOut)).getRevisionHash();

            given().get("/api/v1/stores/{s}/menu", store)
                    .then()
                    .statusCode(200)
                    .header("ETag", "\"" + next + "\"")
                    .body("categories[1].items[0].soldOut", equalTo(true));
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
                            given().get("/api/v1/stores/{s}/menu", store).then().statusCode(200);
                            assertThat(redisHealth.degraded()).isFalse();
                        });
        given().get("/q/metrics").then().body(containsString("scanorder_redis_degraded 0.0"));
    }

    private PublishMenuResponse publish(String store, Menu menu) {
        return admin.publishMenu(
                PublishMenuRequest.newBuilder()
                        .setStoreCode(store)
                        .setMenu(MenuProtoMapper.toProto(menu))
                        .build());
    }

    private static BadRequest badRequest(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromThrowable(e);
        assertThat(status).isNotNull();
        try {
            return status.getDetails(0).unpack(BadRequest.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException ex) {
            throw new AssertionError(ex);
        }
    }

    private static Status.Code statusOf(Runnable call) {
        return catchStatus(call).getStatus().getCode();
    }

    private static StatusRuntimeException catchStatus(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("call succeeded but an error status was expected");
    }

    /** Inserts a store with a 3-digit code no other test uses, and its kitchen stations. */
    private String newStore(String... stations) {
        for (int attempt = 0; attempt < 50; attempt++) {
            String code = unusedStoreCode();
            try (Connection c = dataSource.getConnection()) {
                UUID id = UUID.randomUUID();
                try (PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO stores (store_id, store_code, name) VALUES (?, ?, ?)"
                                        + " ON CONFLICT (store_code) DO NOTHING")) {
                    ps.setObject(1, id);
                    ps.setString(2, code);
                    ps.setString(3, "Menu test store " + code);
                    if (ps.executeUpdate() == 0) {
                        continue;
                    }
                }
                for (String station : stations) {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO store_stations (store_id, station) VALUES (?, ?)")) {
                        ps.setObject(1, id);
                        ps.setString(2, station);
                        ps.executeUpdate();
                    }
                }
                return code;
            } catch (SQLException e) {
                throw new IllegalStateException("could not insert a test store", e);
            }
        }
        throw new IllegalStateException("no free store code found");
    }

    private String unusedStoreCode() {
        for (int attempt = 0; attempt < 1000; attempt++) {
            String code = String.format("%03d", ThreadLocalRandom.current().nextInt(1000));
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps =
                            c.prepareStatement("SELECT 1 FROM stores WHERE store_code = ?")) {
                ps.setString(1, code);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return code;
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException("every store code is taken");
    }

    private int revisionRows(String store) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM menu_revisions r JOIN stores s"
                                        + " ON s.store_id = r.store_id WHERE s.store_code = ?")) {
            ps.setString(1, store);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
