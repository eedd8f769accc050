package io.scanorder.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.OperatorConfig;
import io.scanorder.operator.model.OrderServiceLink;
import io.scanorder.operator.model.ServiceWorkloads;
import io.scanorder.operator.model.StoreService;
import io.scanorder.testkit.KubernetesApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real operator against the mock API server: a Store gets its owned objects and status. */
class StoreReconcilerIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final KubernetesApi API = KubernetesApi.shared();
    static final KubernetesClient CLIENT = API.client();
    static OrderServiceChannels channels;
    static Operator operator;

    @BeforeAll
    static void startOperator() {
        channels = new OrderServiceChannels(OrderServiceLink.defaults());
        operator = MockApiOperator.start(CLIENT, channels);
    }

    @AfterAll
    static void stopOperator() {
        operator.stop();
        channels.close();
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
                            // No Menu named by spec.menuRef exists here: MenuPublished is
                            // False, and so is Ready.
                            assertThat(condition(current, ConditionType.READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus())
                                                        .isEqualTo(ConditionStatus.False);
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
                editStore(
                        ns,
                        s -> {
                            s.getSpec().setTimezone("Asia/Chongqing");
                            s.getSpec().getPayment().setOrderTimeout("10m");
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
                                                assertThat(c.getReason()).isEqualTo("InvalidSpec");
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

    @Test
    void exampleStoreGetsEveryOwnedObjectWithOwnerReferences() throws Exception {
        String ns = API.newNamespace();
        Store store = CLIENT.resource(exampleStore(ns)).create();

        Deployment order = awaitExisting(Deployment.class, ns, "jingan-order");
        Deployment payment = awaitExisting(Deployment.class, ns, "jingan-payment");
        Service orderService = awaitExisting(Service.class, ns, "jingan-order");
        Service paymentService = awaitExisting(Service.class, ns, "jingan-payment");
        HorizontalPodAutoscaler hpa =
                awaitExisting(HorizontalPodAutoscaler.class, ns, "jingan-order");
        PodDisruptionBudget orderPdb = awaitExisting(PodDisruptionBudget.class, ns, "jingan-order");
        PodDisruptionBudget paymentPdb =
                awaitExisting(PodDisruptionBudget.class, ns, "jingan-payment");
        NetworkPolicy policy = awaitExisting(NetworkPolicy.class, ns, "jingan-payment-ingress");
        ConfigMap configMap = awaitExisting(ConfigMap.class, ns, "jingan-config");

        for (HasMetadata owned :
                List.of(
                        order,
                        payment,
                        orderService,
                        paymentService,
                        hpa,
                        orderPdb,
                        paymentPdb,
                        policy,
                        configMap)) {
            assertThat(owned.getMetadata().getOwnerReferences())
                    .as(owned.getKind() + " " + owned.getMetadata().getName())
                    .singleElement()
                    .satisfies(
                            owner -> {
                                assertThat(owner.getKind()).isEqualTo("Store");
                                assertThat(owner.getName()).isEqualTo("jingan");
                                assertThat(owner.getUid()).isEqualTo(store.getMetadata().getUid());
                                assertThat(owner.getApiVersion())
                                        .isEqualTo("scanorder.io/v1alpha1");
                            });
        }
        // The objects are the model's desired state, as created through the API.
        assertThat(order.getSpec())
                .isEqualTo(
                        ServiceWorkloads.deployment(
                                        store, StoreService.ORDER, OperatorConfig.defaults(), null)
                                .getSpec());
        assertThat(payment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName())
                .containsExactly("lotus-kitchen-wechatpay", "jingan-payment-data");
        assertThat(orderService.getSpec().getPorts()).hasSize(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
        assertThat(paymentPdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
        assertThat(policy.getSpec().getIngress()).hasSize(3);

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Store current = currentStore(ns);
                            assertThat(current.getStatus().getEndpoints())
                                    .containsEntry("orderGrpc", "jingan-order." + ns + ".svc:9000")
                                    .containsEntry(
                                            "orderHttp", "http://jingan-order." + ns + ".svc:8080");
                            assertThat(condition(current, ConditionType.ORDER_SERVICE_READY))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getStatus())
                                                            .isEqualTo(ConditionStatus.Unknown));
                            assertThat(condition(current, ConditionType.MENU_PUBLISHED))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getReason())
                                                            .isEqualTo("MenuNotFound"));
                            assertThat(condition(current, ConditionType.DEVICES_HEALTHY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus())
                                                        .isEqualTo(ConditionStatus.False);
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "station hot has no"
                                                                        + " KitchenDevice");
                                            });
                            assertThat(current.getStatus().getDevicesTotal()).isZero();
                        });
    }

    @Test
    void readyReplicasReportedForTheOrderDeploymentMakeOrderServiceReady() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(exampleStore(ns)).create();
        awaitExisting(Deployment.class, ns, "jingan-order");

        // What the kubelet and the deployment controller would report once both pods are ready.
        CLIENT.apps()
                .deployments()
                .inNamespace(ns)
                .withName("jingan-order")
                .editStatus(
                        d -> {
                            d.setStatus(
                                    new DeploymentStatusBuilder()
                                            .withObservedGeneration(1L)
                                            .withReplicas(2)
                                            .withReadyReplicas(2)
                                            .withAvailableReplicas(2)
                                            .build());
                            return d;
                        });

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Store current = currentStore(ns);
                            assertThat(condition(current, ConditionType.ORDER_SERVICE_READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus())
                                                        .isEqualTo(ConditionStatus.True);
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "Deployment jingan-order: 2/2"
                                                                        + " replicas ready");
                                            });
                            assertThat(condition(current, ConditionType.PAYMENT_SERVICE_READY))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getStatus())
                                                            .isEqualTo(ConditionStatus.Unknown));
                        });
    }

    @Test
    void replicasAndPeakChangesRollToTheDeploymentsAndTheAutoscaler() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(exampleStore(ns)).create();
        awaitExisting(HorizontalPodAutoscaler.class, ns, "jingan-order");

        editStore(
                ns,
                s -> {
                    s.getSpec().getServing().setReplicas(3);
                    s.getSpec().getServing().setPeakOrdersPerSecond(20);
                });
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            HorizontalPodAutoscaler hpa =
                                    get(HorizontalPodAutoscaler.class, ns, "jingan-order");
                            assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
                            assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(10);
                            assertThat(
                                            get(Deployment.class, ns, "jingan-payment")
                                                    .getSpec()
                                                    .getReplicas())
                                    .isEqualTo(3);
                        });
        // While the autoscaler manages it, the operator leaves the order replicas alone.
        assertThat(get(Deployment.class, ns, "jingan-order").getSpec().getReplicas()).isEqualTo(2);

        editStore(ns, s -> s.getSpec().getServing().setPeakOrdersPerSecond(null));
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            assertThat(get(HorizontalPodAutoscaler.class, ns, "jingan-order"))
                                    .isNull();
                            assertThat(
                                            get(Deployment.class, ns, "jingan-order")
                                                    .getSpec()
                                                    .getReplicas())
                                    .isEqualTo(3);
                        });
    }

    @Test
    void invalidStoreGetsAConditionAndAnEventAndIsReconciledOnceFixed() throws Exception {
        String ns = API.newNamespace();
        Store store = exampleStore(ns);
        store.getSpec().getServing().setReplicas(-1);
        CLIENT.resource(store).create();

        String message = "spec.serving.replicas must be between 1 and 20, was -1";
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            assertThat(condition(currentStore(ns), ConditionType.CONFIG_READY))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus())
                                                        .isEqualTo(ConditionStatus.False);
                                                assertThat(c.getReason()).isEqualTo("InvalidSpec");
                                                assertThat(c.getMessage()).isEqualTo(message);
                                            });
                            assertThat(CLIENT.v1().events().inNamespace(ns).list().getItems())
                                    .singleElement()
                                    .satisfies(
                                            e -> {
                                                assertThat(e.getType()).isEqualTo("Warning");
                                                assertThat(e.getReason()).isEqualTo("InvalidSpec");
                                                assertThat(e.getMessage()).isEqualTo(message);
                                                assertThat(e.getInvolvedObject().getName())
                                                        .isEqualTo("jingan");
                                            });
                        });
        assertThat(get(Deployment.class, ns, "jingan-order")).isNull();

        // The operator kept running: fixing the spec is picked up and reconciled.
        editStore(ns, s -> s.getSpec().getServing().setReplicas(2));
        awaitExisting(Deployment.class, ns, "jingan-order");
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(condition(currentStore(ns), ConditionType.CONFIG_READY))
                                        .hasValueSatisfying(
                                                c ->
                                                        assertThat(c.getStatus())
                                                                .isEqualTo(ConditionStatus.True)));
    }

    private static <T extends HasMetadata> T awaitExisting(Class<T> type, String ns, String name) {
        return await().atMost(TIMEOUT).until(() -> get(type, ns, name), r -> r != null);
    }

    private static <T extends HasMetadata> T get(Class<T> type, String ns, String name) {
        return CLIENT.resources(type).inNamespace(ns).withName(name).get();
    }

    private static Store currentStore(String ns) {
        return CLIENT.resources(Store.class).inNamespace(ns).withName("jingan").get();
    }

    /** Edits the spec like kubectl edit: retried when the operator wrote the status meanwhile. */
    private static Store editStore(String ns, Consumer<Store> change) {
        return await().atMost(TIMEOUT)
                .ignoreException(KubernetesClientException.class)
                .until(
                        () ->
                                CLIENT.resources(Store.class)
                                        .inNamespace(ns)
                                        .withName("jingan")
                                        .edit(
                                                s -> {
                                                    change.accept(s);
                                                    return s;
                                                }),
                        s -> s != null);
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
        assertThat(store.getStatus()).as("status of the store").isNotNull();
        return store.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }
}
