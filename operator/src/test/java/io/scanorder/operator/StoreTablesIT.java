package io.scanorder.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.StoreDefinitions;
import io.scanorder.operator.model.StoreEvents;
import io.scanorder.testkit.KubernetesApi;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real operator against the mock API server and an order service double on a real gRPC port: a
 * Store's areas, tables and order settings are applied once, compared every resync, applied again
 * when the service lost them, and a refusal is reported in the status and as an Event.
 */
class StoreTablesIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final KubernetesApi API = KubernetesApi.shared();
    static final KubernetesClient CLIENT = API.client();
    static final OrderServiceDouble ORDER = new OrderServiceDouble().start();
    static OrderServiceChannels channels;
    static Operator operator;

    @BeforeAll
    static void startOperator() {
        channels = MockApiOperator.fastChannels(ORDER.target());
        operator = MockApiOperator.start(CLIENT, channels);
    }

    @AfterAll
    static void stopOperator() {
        operator.stop();
        channels.close();
        ORDER.close();
    }

    @Test
    void storeIsAppliedOnceComparedEveryResyncAndAppliedAgainAfterTheServiceRestartsEmpty()
            throws Exception {
        String ns = API.newNamespace();
        Store created = CLIENT.resource(MenuReconcilerIT.store(ns, "201")).create();

        Condition published = awaitTables(ns, ConditionStatus.True);
        assertThat(published.getReason()).isEqualTo("TablesPublished");
        assertThat(published.getMessage())
                .startsWith("28 tables in service at the order service of store jingan (201)");
        assertThat(ORDER.storeApplies("201")).isEqualTo(1);
        assertThat(ORDER.store("201").getContentHash())
                .isEqualTo(StoreDefinitions.contentHash(StoreDefinitions.toProto(created)));
        assertThat(ORDER.store("201").getStore().getStationsList())
                .containsExactly("hot", "cold", "bar");
        assertThat(ORDER.store("201").getStore().getPaymentTimeoutSeconds()).isEqualTo(900);

        // Resyncs only read while the content is unchanged.
        int reads = ORDER.storeReads();
        await().atMost(TIMEOUT).until(() -> ORDER.storeReads() >= reads + 3);
        assertThat(ORDER.storeApplies("201")).isEqualTo(1);

        // A service that restarted on an empty database gets the store back.
        ORDER.restartEmpty();
        await().atMost(TIMEOUT).until(() -> ORDER.storeApplies("201") == 2);
        assertThat(ORDER.store("201").getContentHash())
                .isEqualTo(StoreDefinitions.contentHash(StoreDefinitions.toProto(created)));

        // An edited spec is applied once more, with the new content.
        Store edited = currentStore(ns);
        edited.getSpec().getAreas().get(0).getTables().setCount(10);
        CLIENT.resource(edited).update();
        await().atMost(TIMEOUT).until(() -> ORDER.storeApplies("201") == 3);
        assertThat(ORDER.store("201").getEnabledTables()).isEqualTo(14);
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(condition(currentStore(ns)).getMessage())
                                        .startsWith("14 tables in service"));
    }

    @Test
    void storeTheServiceRefusesIsReportedWithTheFieldAndAWarningEvent() throws Exception {
        String ns = API.newNamespace();
        Store store = MenuReconcilerIT.store(ns, "202");
        store.getSpec().getPayment().setOrderTimeout("30s");
        CLIENT.resource(store).create();

        Condition refused = awaitTables(ns, ConditionStatus.False);
        assertThat(refused.getReason()).isEqualTo("RejectedByOrderService");
        assertThat(refused.getMessage())
                .contains(
                        "refused the store: INVALID_ARGUMENT store.payment_timeout_seconds: must"
                                + " be 0 (service default) or within 60..86400, got 30");
        assertThat(ORDER.storeApplies("202")).isZero();
        Condition ready =
                currentStore(ns).getStatus().getConditions().stream()
                        .filter(c -> ConditionType.READY.equals(c.getType()))
                        .findFirst()
                        .orElseThrow();
        assertThat(ready.getStatus()).isEqualTo(ConditionStatus.False);

        List<Event> events =
                await().atMost(TIMEOUT)
                        .until(
                                () -> CLIENT.v1().events().inNamespace(ns).list().getItems(),
                                l ->
                                        l.stream()
                                                .anyMatch(
                                                        e ->
                                                                StoreEvents.TABLES_REJECTED.equals(
                                                                        e.getReason())));
        assertThat(events)
                .filteredOn(e -> StoreEvents.TABLES_REJECTED.equals(e.getReason()))
                .singleElement()
                .satisfies(
                        e -> {
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Store");
                            assertThat(e.getMessage()).contains("store.payment_timeout_seconds");
                        });

        // Fixing the spec applies it.
        Store fixed = currentStore(ns);
        fixed.getSpec().getPayment().setOrderTimeout("2m");
        CLIENT.resource(fixed).update();
        awaitTables(ns, ConditionStatus.True);
        assertThat(ORDER.store("202").getStore().getPaymentTimeoutSeconds()).isEqualTo(120);
    }

    private static Store currentStore(String ns) {
        return CLIENT.resources(Store.class).inNamespace(ns).withName("jingan").get();
    }

    private static Condition condition(Store store) {
        if (store == null || store.getStatus() == null) {
            return null;
        }
        return store.getStatus().getConditions().stream()
                .filter(c -> StoreEvents.TABLES_PUBLISHED.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }

    private static Condition awaitTables(String ns, ConditionStatus status) {
        return await().atMost(TIMEOUT)
                .until(
                        () -> condition(currentStore(ns)),
                        c -> c != null && c.getStatus() == status);
    }
}
