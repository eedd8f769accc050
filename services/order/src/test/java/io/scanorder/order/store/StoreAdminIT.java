package io.scanorder.order.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.table.TableRegistry;
import io.scanorder.proto.order.v1.AppliedStore;
import io.scanorder.proto.order.v1.ApplyStoreRequest;
import io.scanorder.proto.order.v1.ApplyStoreResponse;
import io.scanorder.proto.order.v1.DiningArea;
import io.scanorder.proto.order.v1.GetStoreRequest;
import io.scanorder.proto.order.v1.StoreAdminGrpc;
import io.scanorder.proto.order.v1.StoreDefinition;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** StoreAdmin over a real gRPC channel to the test app, against the embedded PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class StoreAdminIT {
    @Inject DataSource dataSource;
    @Inject TableRegistry registry;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = OwnGrpcChannel.open();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private StoreAdminGrpc.StoreAdminBlockingStub stub() {
        return StoreAdminGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    /** Areas listed out of order on purpose: the service keeps them in canonical order. */
    static StoreDefinition store(String code) {
        return StoreDefinition.newBuilder()
                .setStoreCode(code)
                .setName("莲花小厨 Lotus Kitchen")
                .setTimezone("Asia/Shanghai")
                .addAreas(
                        DiningArea.newBuilder()
                                .setAreaCode("0002")
                                .setName("包间 Private rooms")
                                .setSeats(10)
                                .addAllTableNumbers(List.of(805, 801)))
                .addAreas(
                        DiningArea.newBuilder()
                                .setAreaCode("0001")
                                .setName("大堂 Main hall")
                                .setSeats(4)
                                .addAllTableNumbers(List.of(1, 2, 3)))
                .addAllStations(List.of("hot", "bar"))
                .setPaymentTimeoutSeconds(600)
                .setMaxOrderAmountFen(500_000)
                .build();
    }

    private ApplyStoreResponse apply(StoreDefinition store) {
        return stub().applyStore(ApplyStoreRequest.newBuilder().setStore(store).build());
    }

    @Test
    void applyingCreatesTablesAndSettingsAndTheSameContentAgainWritesNothing() throws SQLException {
        ApplyStoreResponse first = apply(store("951"));
        assertThat(first.getAlreadyApplied()).isFalse();
        assertThat(first.getTablesCreated()).isEqualTo(5);
        assertThat(first.getEnabledTables()).isEqualTo(5);
        assertThat(first.getContentHash()).matches("[0-9a-f]{64}");

        AppliedStore held =
                stub().getStore(GetStoreRequest.newBuilder().setStoreCode("951").build());
        assertThat(held.getContentHash()).isEqualTo(first.getContentHash());
        assertThat(held.getEnabledTables()).isEqualTo(5);
        assertThat(held.getStore().getAreasList())
                .extracting(DiningArea::getAreaCode)
                .containsExactly("0001", "0002");
        assertThat(held.getStore().getAreas(1).getTableNumbersList()).containsExactly(801, 805);
        assertThat(held.getStore().getStationsList()).containsExactly("bar", "hot");
        assertThat(held.getAppliedAt().getSeconds()).isPositive();
        assertThat(settings("951")).containsExactly("Asia/Shanghai", "600", "500000");
        assertThat(stations("951")).containsExactly("bar", "hot");
        assertThat(registry.sheet("951", "0002").labels())
                .extracting(l -> l.table().tableNo())
                .containsExactly("0801", "0805");

        // What GetStore returned, applied again with its own hash, is the same content.
        ApplyStoreResponse again =
                stub().applyStore(
                                ApplyStoreRequest.newBuilder()
                                        .setContentHash(held.getContentHash())
                                        .setStore(held.getStore())
                                        .build());
        assertThat(again.getAlreadyApplied()).isTrue();
        assertThat(again.getTablesCreated() + again.getTablesUpdated() + again.getTablesDisabled())
                .isZero();
        assertThat(again.getContentHash()).isEqualTo(first.getContentHash());
    }

    @Test
    void changedContentDisablesDroppedTablesReplacesStationsAndClearsSettings()
            throws SQLException {
        apply(store("952"));
        StoreDefinition smaller =
                store("952").toBuilder()
                        .setAreas(
                                1,
                                store("952").getAreas(1).toBuilder()
                                        .clearTableNumbers()
                                        .addTableNumbers(1)
                                        .setSeats(6))
                        .clearStations()
                        .addStations("cold")
                        .setPaymentTimeoutSeconds(0)
                        .setMaxOrderAmountFen(0)
                        .build();

        ApplyStoreResponse changed = apply(smaller);

        assertThat(changed.getAlreadyApplied()).isFalse();
        assertThat(changed.getTablesDisabled()).isEqualTo(2);
        assertThat(changed.getTablesUpdated()).isEqualTo(1);
        assertThat(changed.getEnabledTables()).isEqualTo(3);
        assertThat(settings("952")).containsExactly("Asia/Shanghai", null, null);
        assertThat(stations("952")).containsExactly("cold");
        assertThat(
                        stub().getStore(GetStoreRequest.newBuilder().setStoreCode("952").build())
                                .getContentHash())
                .isEqualTo(changed.getContentHash());

        // Back to the first content: the dropped tables come back into service.
        ApplyStoreResponse restored = apply(store("952"));
        assertThat(restored.getTablesUpdated()).isEqualTo(3);
        assertThat(restored.getEnabledTables()).isEqualTo(5);
    }

    @Test
    void invalidContentIsRefusedNamingTheField() {
        assertInvalid(s -> s.setStoreCode("95"), "store.store_code: must be exactly 3 digits");
        assertInvalid(s -> s.setName(""), "store.name: must be 1..64 characters");
        assertInvalid(s -> s.setTimezone("Mars/Olympus"), "store.timezone: must be an IANA");
        assertInvalid(s -> s.clearAreas(), "store.areas: a store needs at least one area");
        assertInvalid(
                s -> s.setAreas(1, s.getAreas(1).toBuilder().setSeats(0)),
                "store.areas[1].seats: must be within 1..99, got 0");
        assertInvalid(
                s -> s.setAreas(0, s.getAreas(0).toBuilder().setAreaCode("0001")),
                "store.areas[1].area_code: area 0001 is listed twice");
        assertInvalid(
                s -> s.setAreas(0, s.getAreas(0).toBuilder().addTableNumbers(10_000)),
                "store.areas[0].table_numbers[2]: must be within 1..9999, got 10000");
        assertInvalid(
                s -> s.setAreas(1, s.getAreas(1).toBuilder().addTableNumbers(3)),
                "store.areas[1].table_numbers[3]: table number 3 is listed twice");
        assertInvalid(s -> s.addStations("Hot Kitchen"), "store.stations[2]: must match");
        assertInvalid(
                s -> s.setPaymentTimeoutSeconds(30),
                "store.payment_timeout_seconds: must be 0 (service default) or within 60..86400");
        assertInvalid(s -> s.setMaxOrderAmountFen(-1), "store.max_order_amount_fen: must be 0");

        assertThatThrownBy(
                        () ->
                                stub().applyStore(
                                                ApplyStoreRequest.newBuilder()
                                                        .setContentHash("0".repeat(64))
                                                        .setStore(store("953"))
                                                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription())
                                    .startsWith("content_hash: does not match the content");
                        });
        // Nothing of the refused requests was written.
        assertNotFound("953");
    }

    @Test
    void aStoreThatWasNeverAppliedIsNotFound() {
        assertNotFound("954");
    }

    private void assertInvalid(UnaryOperator<StoreDefinition.Builder> edit, String message) {
        StoreDefinition bad = edit.apply(store("953").toBuilder()).build();
        assertThatThrownBy(() -> apply(bad))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.INVALID_ARGUMENT);
                            assertThat(e.getStatus().getDescription()).startsWith(message);
                        });
    }

    private void assertNotFound(String code) {
        assertThatThrownBy(
                        () ->
                                stub().getStore(
                                                GetStoreRequest.newBuilder()
                                                        .setStoreCode(code)
                                                        .build()))
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
                            assertThat(e.getStatus().getDescription()).contains("'" + code + "'");
                        });
    }

    private List<String> settings(String code) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT timezone, order_timeout_seconds, order_limit_fen"
                                        + " FROM stores WHERE store_code = ?")) {
            ps.setString(1, code);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= 3; i++) {
                    row.add(rs.getString(i));
                }
                return row;
            }
        }
    }

    private List<String> stations(String code) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT st.station FROM store_stations st JOIN stores s"
                                        + " ON s.store_id = st.store_id WHERE s.store_code = ?"
                                        + " ORDER BY st.station")) {
            ps.setString(1, code);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
