package io.scanorder.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.testkit.KubernetesApi;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real operator against the mock API server: a Store gets its ConfigMap and status. */
class StoreReconcilerIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final KubernetesApi API = KubernetesApi.shared();
    static final KubernetesClient CLIENT = API.client();
    static Operator operator;

    @BeforeAll
    static void startOperator() throws Exception {
        // The generated CRD (from the crds module's build) makes the mock server treat status as
        // a subresource and Store as namespaced, as a real API server would.
        try (InputStream in =
                StoreReconcilerIT.class
                        .getClassLoader()
                        .getResourceAsStream("META-INF/fabric8/stores.scanorder.io-v1.yml")) {
            CustomResourceDefinition crd =
                    Serialization.unmarshal(in, CustomResourceDefinition.class);
            CLIENT.apiextensions()
                    .v1()
                    .customResourceDefinitions()
                    .resource(crd)
                    .createOr(r -> r.update());
        }
        // The mock API server answers server-side apply (apply-patch+yaml) with 415, so the test
        // operator patches with JSON merge patches; production keeps JOSDK's SSA defaults.
        operator =
                OperatorMain.create(
                        CLIENT,
                        Clock.systemUTC(),
                        o ->
                                o.withUseSSAToPatchPrimaryResource(false)
                                        .withSSABasedCreateUpdateMatchForDependentResources(false));
        operator.start();
    }

    @AfterAll
    static void stopOperator() {
        operator.stop();
    }

    @Test
    void exampleStoreGetsOwnedConfigMapAndStatusConditions() throws Exception {
        String ns = API.newNamespace();
        Store store = CLIENT.resource(exampleStore(ns)).create();

        ConfigMap configMap =
                await().atMost(TIMEOUT)
                        .until(
                                () ->
                                        CLIENT.configMaps()
                                                .inNamespace(ns)
                                                .withName("jingan-config")
                                                .get(),
                                c -> c != null);
        // The owner reference lets Kubernetes garbage-collect the ConfigMap with its Store.
        assertThat(configMap.getMetadata().getOwnerReferences()).hasSize(1);
        OwnerReference owner = configMap.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getApiVersion()).isEqualTo("scanorder.io/v1alpha1");
        assertThat(owner.getKind()).isEqualTo("Store");
        assertThat(owner.getName()).isEqualTo("jingan");
        assertThat(owner.getUid()).isEqualTo(store.getMetadata().getUid());
        assertThat(configMap.getData())
                .containsEntry("store.code", "021")
                .containsEntry("area.0002.tables", "801,802,805,808")
                .containsEntry("order.timeout", "15m");

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Store current =
                                    CLIENT.resources(Store.class)
                                            .inNamespace(ns)
                                            .withName("jingan")
                                            .get();
                            assertThat(current.getStatus()).isNotNull();
                            assertThat(current.getStatus().getObservedGeneration())
                                    .isEqualTo(current.getMetadata().getGeneration());
                            assertThat(current.getStatus().getTableCount()).isEqualTo(28);
                            assertThat(condition(current, ConditionType.CONFIG_READY))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getStatus())
                                                            .isEqualTo(ConditionStatus.True));
                            assertThat(condition(current, ConditionType.READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus())
                                                        .isEqualTo(ConditionStatus.Unknown);
                                                assertThat(c.getObservedGeneration())
                                                        .isEqualTo(
                                                                current.getMetadata()
                                                                        .getGeneration());
                                                assertThat(c.getLastTransitionTime()).isNotBlank();
                                            });
                        });
    }

    @Test
    void specChangeIsCarriedIntoTheConfigMapAndObservedGeneration() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(exampleStore(ns)).create();
        await().atMost(TIMEOUT)
                .until(
                        () ->
                                CLIENT.configMaps().inNamespace(ns).withName("jingan-config").get()
                                        != null);

        Store edited =
                CLIENT.resources(Store.class)
                        .inNamespace(ns)
                        .withName("jingan")
                        .edit(
                                s -> {
                                    s.getSpec().setTimezone("Asia/Chongqing");
                                    s.getSpec().getPayment().setOrderTimeout("10m");
                                    return s;
                                });

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            assertThat(
                                            CLIENT.configMaps()
                                                    .inNamespace(ns)
                                                    .withName("jingan-config")
                                                    .get()
                                                    .getData())
                                    .containsEntry("store.timezone", "Asia/Chongqing")
                                    .containsEntry("order.timeout", "10m");
                            Store current =
                                    CLIENT.resources(Store.class)
                                            .inNamespace(ns)
                                            .withName("jingan")
                                            .get();
                            assertThat(current.getStatus().getObservedGeneration())
                                    .isEqualTo(edited.getMetadata().getGeneration());
                        });
    }

    @Test
    void storeThatBypassedTheSchemaGetsAFalseConditionNamingTheField() throws Exception {
        // The mock API server does not validate against the CRD schema, like a real one would.
        String ns = API.newNamespace();
        Store store = exampleStore(ns);
        store.getSpec().setPayment(null);
        CLIENT.resource(store).create();

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Store current =
                                    CLIENT.resources(Store.class)
                                            .inNamespace(ns)
                                            .withName("jingan")
                                            .get();
                            assertThat(current.getStatus()).isNotNull();
                            assertThat(condition(current, ConditionType.CONFIG_READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus())
                                                        .isEqualTo(ConditionStatus.False);
                                                assertThat(c.getReason())
                                                        .isEqualTo("ReconcileFailed");
                                                assertThat(c.getMessage())
                                                        .contains("spec.payment is required");
                                            });
                            assertThat(condition(current, ConditionType.READY))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getStatus())
                                                            .isEqualTo(ConditionStatus.False));
                        });
        assertThat(CLIENT.configMaps().inNamespace(ns).withName("jingan-config").get()).isNull();
    }

    private static Store exampleStore(String namespace) throws Exception {
        Store store =
                Serialization.unmarshal(
                        Files.readString(Path.of("../crds/examples/store-jingan.yaml")),
                        Store.class);
        store.getMetadata().setNamespace(namespace);
        return store;
    }

    private static Optional<Condition> condition(Store store, String type) {
        return store.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }
}
