package io.scanorder.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.testkit.KubernetesApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real operator against the mock API server and an order service double on a real gRPC port:
 * menus are validated, published once, and published again when the service lost them.
 */
class MenuReconcilerIT {
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
    void exampleMenuIsPublishedOnceAndTheStoreReportsIt() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(store(ns, "101")).create();
        CLIENT.resource(menu(ns)).create();

        Menu published = awaitMenu(ns, ConditionType.PUBLISHED, ConditionStatus.True);
        assertThat(condition(published.getStatus().getConditions(), ConditionType.VALID))
                .hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo(ConditionStatus.True));
        assertThat(published.getStatus().getItemCount()).isEqualTo(31);
        assertThat(published.getStatus().getRevisionHash()).matches("[0-9a-f]{64}");
        assertThat(published.getStatus().getObservedGeneration())
                .isEqualTo(published.getMetadata().getGeneration());
        assertThat(ORDER.publishes("101")).isEqualTo(1);
        assertThat(ORDER.menu("101").getMenu().getItemsCount()).isEqualTo(31);
        assertThat(ORDER.menu("101").getMenu().getCombosCount()).isEqualTo(3);

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                condition(
                                                        currentStore(ns)
                                                                .getStatus()
                                                                .getConditions(),
                                                        ConditionType.MENU_PUBLISHED))
                                        .hasValueSatisfying(
                                                c ->
                                                        assertThat(c.getStatus())
                                                                .isEqualTo(ConditionStatus.True)));

        // Applying the same manifest again and the periodic resyncs read, but never republish.
        CLIENT.resource(menu(ns)).update();
        int reads = ORDER.menuReads();
        await().atMost(TIMEOUT).until(() -> ORDER.menuReads() >= reads + 3);
        assertThat(ORDER.publishes("101")).isEqualTo(1);
    }

    @Test
    void menuNamingAStationTheStoreLacksIsInvalidWithTheFieldPathAndAnEvent() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(store(ns, "102")).create();
        Menu menu = menu(ns);
        menu.getSpec().getItems().get(2).setStation("grill");
        CLIENT.resource(menu).create();

        Menu invalid = awaitMenu(ns, ConditionType.VALID, ConditionStatus.False);
        Condition valid =
                condition(invalid.getStatus().getConditions(), ConditionType.VALID).orElseThrow();
        assertThat(valid.getReason()).isEqualTo("InvalidSpec");
        assertThat(valid.getMessage())
                .startsWith("spec.items[2].station: 'grill' is not a station of Store jingan");
        assertThat(condition(invalid.getStatus().getConditions(), ConditionType.PUBLISHED))
                .hasValueSatisfying(
                        c -> assertThat(c.getStatus()).isEqualTo(ConditionStatus.False));
        List<Event> events =
                await().atMost(TIMEOUT)
                        .until(
                                () -> CLIENT.v1().events().inNamespace(ns).list().getItems(),
                                l -> !l.isEmpty());
        assertThat(events)
                .anySatisfy(
                        e -> {
                            assertThat(e.getReason()).isEqualTo("InvalidMenu");
                            assertThat(e.getType()).isEqualTo("Warning");
                            assertThat(e.getInvolvedObject().getKind()).isEqualTo("Menu");
                            assertThat(e.getMessage()).contains("spec.items[2].station");
                        });
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(
                                                condition(
                                                        currentStore(ns)
                                                                .getStatus()
                                                                .getConditions(),
                                                        ConditionType.MENU_PUBLISHED))
                                        .hasValueSatisfying(
                                                c ->
                                                        assertThat(c.getReason())
                                                                .isEqualTo("MenuInvalid")));
        assertThat(ORDER.publishes("102")).isZero();

        // Fixing the menu publishes it: the invalid round did not stop the controller.
        CLIENT.resources(Menu.class)
                .inNamespace(ns)
                .withName("sichuan-classics")
                .edit(
                        m -> {
                            m.getSpec().getItems().get(2).setStation("cold");
                            return m;
                        });
        awaitMenu(ns, ConditionType.PUBLISHED, ConditionStatus.True);
        assertThat(ORDER.publishes("102")).isEqualTo(1);
    }

    @Test
    void skuPricedZeroIsInvalidAndNotPublished() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(store(ns, "103")).create();
        Menu menu = menu(ns);
        menu.getSpec().getItems().get(1).getSkus().get(1).setPriceFen(0L);
        CLIENT.resource(menu).create();

        Menu invalid = awaitMenu(ns, ConditionType.VALID, ConditionStatus.False);
        assertThat(condition(invalid.getStatus().getConditions(), ConditionType.VALID))
                .hasValueSatisfying(
                        c ->
                                assertThat(c.getMessage())
                                        .isEqualTo(
                                                "spec.items[1].skus[1].priceFen: must be > 0,"
                                                        + " got 0"));
        assertThat(ORDER.publishes("103")).isZero();
    }

    @Test
    void unreachableOrderServiceIsReportedAndTheMenuPublishedOnceItIsUp() throws Exception {
        String ns = API.newNamespace();
        ORDER.stop();
        try {
            CLIENT.resource(store(ns, "104")).create();
            CLIENT.resource(menu(ns)).create();
            Menu failed = awaitMenu(ns, ConditionType.PUBLISHED, ConditionStatus.False);
            Condition published =
                    condition(failed.getStatus().getConditions(), ConditionType.PUBLISHED)
                            .orElseThrow();
            assertThat(published.getReason()).isEqualTo("OrderServiceUnreachable");
            assertThat(published.getMessage())
                    .contains("store jingan (104) at " + ORDER.target())
                    .containsPattern("UNAVAILABLE|DEADLINE_EXCEEDED")
                    .containsPattern("attempt \\d+, retrying in \\d+\\.\\ds");
            await().atMost(TIMEOUT)
                    .untilAsserted(
                            () ->
                                    assertThat(
                                                    condition(
                                                            currentStore(ns)
                                                                    .getStatus()
                                                                    .getConditions(),
                                                            ConditionType.MENU_PUBLISHED))
                                            .hasValueSatisfying(
                                                    c ->
                                                            assertThat(c.getReason())
                                                                    .isEqualTo(
                                                                            "OrderServiceUnreachable")));
        } finally {
            ORDER.start();
        }
        awaitMenu(ns, ConditionType.PUBLISHED, ConditionStatus.True);
        assertThat(ORDER.publishes("104")).isEqualTo(1);
    }

    @Test
    void orderServiceThatRestartedEmptyGetsTheMenuAgain() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(store(ns, "105")).create();
        CLIENT.resource(menu(ns)).create();
        awaitMenu(ns, ConditionType.PUBLISHED, ConditionStatus.True);
        String hash = ORDER.menu("105").getRevisionHash();

        ORDER.restartEmpty();
        assertThat(ORDER.menu("105")).isNull();

        await().atMost(TIMEOUT).until(() -> ORDER.menu("105") != null);
        assertThat(ORDER.menu("105").getRevisionHash()).isEqualTo(hash);
        assertThat(ORDER.publishes("105")).isEqualTo(2);
    }

    private static Menu awaitMenu(String ns, String type, ConditionStatus status) {
        return await().atMost(TIMEOUT)
                .until(
                        () ->
                                CLIENT.resources(Menu.class)
                                        .inNamespace(ns)
                                        .withName("sichuan-classics")
                                        .get(),
                        m ->
                                m.getStatus() != null
                                        && condition(m.getStatus().getConditions(), type)
                                                .filter(c -> c.getStatus() == status)
                                                .isPresent());
    }

    static Store store(String ns, String storeCode) throws Exception {
        Store store =
                Serialization.unmarshal(
                        Files.readString(Path.of("../crds/examples/store-jingan.yaml")),
                        Store.class);
        store.getMetadata().setNamespace(ns);
        store.getSpec().setStoreCode(storeCode);
        return store;
    }

    static Menu menu(String ns) throws Exception {
        Menu menu =
                Serialization.unmarshal(
                        Files.readString(Path.of("../crds/examples/menu-sichuan-classics.yaml")),
                        Menu.class);
        menu.getMetadata().setNamespace(ns);
        return menu;
    }

    static Store currentStore(String ns) {
        return CLIENT.resources(Store.class).inNamespace(ns).withName("jingan").get();
    }

    static Optional<Condition> condition(List<Condition> conditions, String type) {
        return conditions == null
                ? Optional.empty()
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
    }
}
