package io.scanorder.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.CredentialFile;
import io.scanorder.broker.topic.Principal;
import io.scanorder.crds.v1alpha1.AlarmCode;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.DevicePhase;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.crds.v1alpha1.PaperState;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.DeviceCredentials;
import io.scanorder.operator.model.DeviceRegistration;
import io.scanorder.proto.order.v1.Alarm;
import io.scanorder.proto.order.v1.AlarmType;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.testkit.KubernetesApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real operator against the mock API server: a KitchenDevice gets and loses credentials. */
class KitchenDeviceReconcilerIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final KubernetesApi API = KubernetesApi.shared();
    static final KubernetesClient CLIENT = API.client();
    static final String DEVICE = "jingan-printer-hot-1";
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
    void deviceIsRegisteredWithTheOrderServiceAndItsHealthMirroredIntoTheStatus() throws Exception {
        String ns = API.newNamespace();
        Store store = example("store-jingan.yaml", Store.class, ns);
        store.getSpec().setStoreCode("201");
        CLIENT.resource(store).create();
        CLIENT.resource(example("kitchendevice-printer-hot-primary.yaml", KitchenDevice.class, ns))
                .create();

        await().atMost(TIMEOUT).until(() -> ORDER.device("201", DEVICE) != null);
        DeviceHealth registered = ORDER.device("201", DEVICE);
        assertThat(registered.getType()).isEqualTo(DeviceType.DEVICE_TYPE_PRINTER);
        assertThat(registered.getRole()).isEqualTo(DeviceRole.DEVICE_ROLE_PRIMARY);
        assertThat(registered.getStationsList()).containsExactly("hot");
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            KitchenDevice current = current(ns);
                            assertThat(condition(current, DeviceRegistration.REGISTERED))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getStatus())
                                                            .isEqualTo(ConditionStatus.True));
                            assertThat(condition(current, DeviceRegistration.HEALTHY))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getReason())
                                                            .isEqualTo("NotConnectedYet"));
                        });

        // Heartbeats reach the service: the next resync carries them into the status.
        ORDER.observe(
                "201",
                DEVICE,
                h ->
                        h.setPhase(io.scanorder.proto.order.v1.DevicePhase.DEVICE_PHASE_DEGRADED)
                                .setLastHeartbeatAt(
                                        Timestamp.newBuilder().setSeconds(1_700_000_000))
                                .setAgentVersion("0.1.0")
                                .addActiveAlarms(
                                        Alarm.newBuilder()
                                                .setType(AlarmType.ALARM_TYPE_PAPER_LOW)
                                                .setRaisedAt(
                                                        Timestamp.newBuilder()
                                                                .setSeconds(1_699_999_990))
                                                .setDetail("roll below 10%")));
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            KitchenDevice current = current(ns);
                            assertThat(current.getStatus().getPhase())
                                    .isEqualTo(DevicePhase.Degraded);
                            assertThat(current.getStatus().getLastHeartbeat())
                                    .isEqualTo("2023-11-14T22:13:20Z");
                            assertThat(current.getStatus().getAgentVersion()).isEqualTo("0.1.0");
                            assertThat(current.getStatus().getPaper()).isEqualTo(PaperState.LOW);
                            assertThat(current.getStatus().getAlarms())
                                    .singleElement()
                                    .satisfies(
                                            a -> {
                                                assertThat(a.getCode())
                                                        .isEqualTo(AlarmCode.PAPER_LOW);
                                                assertThat(a.getSince())
                                                        .isEqualTo("2023-11-14T22:13:10Z");
                                                assertThat(a.getMessage())
                                                        .isEqualTo("roll below 10%");
                                            });
                        });
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Store current =
                                    CLIENT.resources(Store.class)
                                            .inNamespace(ns)
                                            .withName("jingan")
                                            .get();
                            assertThat(current.getStatus().getDevicesOnline()).isEqualTo(1);
                            assertThat(current.getStatus().getDevicesTotal()).isEqualTo(1);
                            assertThat(
                                            current.getStatus().getConditions().stream()
                                                    .filter(
                                                            c ->
                                                                    c.getType()
                                                                            .equals(
                                                                                    ConditionType
                                                                                            .DEVICES_HEALTHY))
                                                    .findFirst())
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus())
                                                        .isEqualTo(ConditionStatus.False);
                                                // hot is served (paper low still prints); cold
                                                // and bar have no device at all.
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "station cold has no"
                                                                        + " KitchenDevice");
                                            });
                        });
    }

    @Test
    void storeIsDevicesHealthyOnceEveryStationHasAnOnlineDevice() throws Exception {
        String ns = API.newNamespace();
        Store store = example("store-jingan.yaml", Store.class, ns);
        store.getSpec().setStoreCode("202");
        CLIENT.resource(store).create();
        List<String> names = new java.util.ArrayList<>();
        for (String file :
                List.of(
                        "kitchendevice-printer-hot-primary.yaml",
                        "kitchendevice-kds-cold.yaml",
                        "kitchendevice-led-pickup.yaml")) {
            names.add(
                    CLIENT.resource(example(file, KitchenDevice.class, ns))
                            .create()
                            .getMetadata()
                            .getName());
        }
        await().atMost(TIMEOUT)
                .until(() -> names.stream().allMatch(n -> ORDER.device("202", n) != null));
        names.forEach(
                n ->
                        ORDER.observe(
                                "202",
                                n,
                                h ->
                                        h.setPhase(
                                                io.scanorder.proto.order.v1.DevicePhase
                                                        .DEVICE_PHASE_ONLINE)));
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            Store current =
                                    CLIENT.resources(Store.class)
                                            .inNamespace(ns)
                                            .withName("jingan")
                                            .get();
                            assertThat(current.getStatus().getDevicesOnline()).isEqualTo(3);
                            assertThat(current.getStatus().getDevicesTotal()).isEqualTo(3);
                            assertThat(
                                            current.getStatus().getConditions().stream()
                                                    .filter(
                                                            c ->
                                                                    c.getType()
                                                                            .equals(
                                                                                    ConditionType
                                                                                            .DEVICES_HEALTHY))
                                                    .findFirst())
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getStatus())
                                                            .isEqualTo(ConditionStatus.True));
                        });
    }

    @Test
    void examplePrinterGetsItsOwnSecretAndAHashedBrokerCredential() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(example("store-jingan.yaml", Store.class, ns)).create();
        KitchenDevice device =
                CLIENT.resource(
                                example(
                                        "kitchendevice-printer-hot-primary.yaml",
                                        KitchenDevice.class,
                                        ns))
                        .create();

        Map<String, String> own = clear(awaitSecret(ns, DEVICE + "-mqtt"));
        assertThat(own)
                .containsEntry("username", DEVICE)
                .containsEntry("store-code", "021")
                .containsEntry("broker-uri", "ssl://scanorder-broker:8883");
        String password = own.get("password");
        assertThat(password).hasSize(32);
        assertThat(own.get("enrollment-code")).matches("[A-Z2-9]{4}-[A-Z2-9]{4}");
        assertThat(
                        DeviceCredentials.matches(
                                own.get("enrollment-code-hash"), own.get("enrollment-code")))
                .isTrue();
        assertThat(own).containsKey("enrollment-expires-at");

        Secret broker = awaitSecret(ns, DEVICE + "-broker-credential");
        assertThat(broker.getMetadata().getLabels())
                .containsEntry("scanorder.io/broker-credentials", "true");
        assertThat(broker.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo(device.getMetadata().getUid()));
        String line = clear(broker).get("credentials");
        assertThat(line).doesNotContain(password);
        // The broker's own parser accepts the line and verifies the device's password with it.
        Credential credential = CredentialFile.parse(List.of(line.split("\n")), "test").get(0);
        assertThat(credential.principal()).isEqualTo(Principal.device("021", DEVICE));
        assertThat(credential.passwordHash().matches(password.toCharArray())).isTrue();

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            KitchenDevice current = current(ns);
                            assertThat(current.getStatus()).isNotNull();
                            assertThat(current.getStatus().getPhase())
                                    .isEqualTo(DevicePhase.Provisioned);
                            assertThat(current.getStatus().getCredentialsSecret())
                                    .isEqualTo(DEVICE + "-mqtt");
                            assertThat(current.getStatus().getObservedGeneration())
                                    .isEqualTo(current.getMetadata().getGeneration());
                            // Credentials issued and registered, but no heartbeat yet.
                            assertThat(condition(current, ConditionType.READY))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getStatus())
                                                            .isEqualTo(ConditionStatus.Unknown));
                            assertThat(
                                            condition(
                                                    current,
                                                    KitchenDeviceReconciler.CREDENTIALS_ISSUED))
                                    .hasValueSatisfying(
                                            c ->
                                                    assertThat(c.getStatus())
                                                            .isEqualTo(ConditionStatus.True));
                            assertThat(current.getMetadata().getFinalizers()).isNotEmpty();
                        });
    }

    @Test
    void passwordAndBrokerLineStayTheSameAcrossASpecChange() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(example("store-jingan.yaml", Store.class, ns)).create();
        CLIENT.resource(example("kitchendevice-printer-hot-primary.yaml", KitchenDevice.class, ns))
                .create();
        String password = clear(awaitSecret(ns, DEVICE + "-mqtt")).get("password");
        String line = clear(awaitSecret(ns, DEVICE + "-broker-credential")).get("credentials");

        KitchenDevice edited =
                await().atMost(TIMEOUT)
                        .ignoreException(KubernetesClientException.class)
                        .until(
                                () ->
                                        CLIENT.resources(KitchenDevice.class)
                                                .inNamespace(ns)
                                                .withName(DEVICE)
                                                .edit(
                                                        d -> {
                                                            d.getSpec()
                                                                    .setHeartbeatIntervalSeconds(
                                                                            30);
                                                            return d;
                                                        }),
                                d -> d != null);

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(current(ns).getStatus().getObservedGeneration())
                                        .isEqualTo(edited.getMetadata().getGeneration()));
        assertThat(clear(awaitSecret(ns, DEVICE + "-mqtt")).get("password")).isEqualTo(password);
        assertThat(clear(awaitSecret(ns, DEVICE + "-broker-credential")).get("credentials"))
                .isEqualTo(line);
    }

    @Test
    void deviceOfAMissingStoreIsPendingUntilTheStoreExists() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(example("kitchendevice-printer-hot-primary.yaml", KitchenDevice.class, ns))
                .create();

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            KitchenDevice current = current(ns);
                            assertThat(current.getStatus()).isNotNull();
                            assertThat(current.getStatus().getPhase())
                                    .isEqualTo(DevicePhase.Pending);
                            assertThat(
                                            condition(
                                                    current,
                                                    KitchenDeviceReconciler.CREDENTIALS_ISSUED))
                                    .hasValueSatisfying(
                                            c -> {
                                                assertThat(c.getStatus())
                                                        .isEqualTo(ConditionStatus.False);
                                                assertThat(c.getReason())
                                                        .isEqualTo("StoreNotFound");
                                                assertThat(c.getMessage())
                                                        .isEqualTo(
                                                                "spec.storeRef: Store 'jingan'"
                                                                        + " not found in namespace "
                                                                        + ns);
                                            });
                        });
        assertThat(CLIENT.secrets().inNamespace(ns).withName(DEVICE + "-mqtt").get()).isNull();

        CLIENT.resource(example("store-jingan.yaml", Store.class, ns)).create();
        awaitSecret(ns, DEVICE + "-broker-credential");
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () ->
                                assertThat(current(ns).getStatus().getPhase())
                                        .isEqualTo(DevicePhase.Provisioned));
    }

    @Test
    void deletingTheDeviceRevokesItsBrokerCredential() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(example("store-jingan.yaml", Store.class, ns)).create();
        CLIENT.resource(example("kitchendevice-printer-hot-primary.yaml", KitchenDevice.class, ns))
                .create();
        awaitSecret(ns, DEVICE + "-broker-credential");
        // The finalizer must be in place before the delete, or there is nothing to revoke with.
        await().atMost(TIMEOUT).until(() -> !current(ns).getMetadata().getFinalizers().isEmpty());

        CLIENT.resources(KitchenDevice.class).inNamespace(ns).withName(DEVICE).delete();

        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            assertThat(
                                            CLIENT.secrets()
                                                    .inNamespace(ns)
                                                    .withName(DEVICE + "-broker-credential")
                                                    .get())
                                    .isNull();
                            assertThat(
                                            CLIENT.secrets()
                                                    .inNamespace(ns)
                                                    .withName(DEVICE + "-mqtt")
                                                    .get())
                                    .isNull();
                            assertThat(current(ns)).isNull();
                        });
        // The finalizer also told the order service to stop routing tickets to it.
        assertThat(ORDER.deregistrations("021", DEVICE)).isPositive();
    }

    private static Secret awaitSecret(String ns, String name) {
        return await().atMost(TIMEOUT)
                .until(() -> CLIENT.secrets().inNamespace(ns).withName(name).get(), s -> s != null);
    }

    private static Map<String, String> clear(Secret secret) {
        Map<String, String> clear = new java.util.TreeMap<>();
        secret.getData().forEach((k, v) -> clear.put(k, DeviceCredentials.decode(v)));
        return clear;
    }

    private static KitchenDevice current(String ns) {
        return CLIENT.resources(KitchenDevice.class).inNamespace(ns).withName(DEVICE).get();
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T example(
            String file, Class<T> type, String namespace) throws Exception {
        T resource =
                Serialization.unmarshal(
                        Files.readString(Path.of("../crds/examples/" + file)), type);
        resource.getMetadata().setNamespace(namespace);
        return resource;
    }

    private static Optional<Condition> condition(KitchenDevice device, String type) {
        return device.getStatus().getConditions().stream()
                .filter(c -> c.getType().equals(type))
                .findFirst();
    }
}
