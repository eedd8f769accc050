package io.scanorder.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.CredentialFile;
import io.scanorder.broker.topic.Principal;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.DeviceCredentials;
import io.scanorder.operator.model.OperatorConfig;
import io.scanorder.operator.model.OrderServiceLink;
import io.scanorder.testkit.KubernetesApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real operator, told where the in-cluster broker is, against the mock API server: each Store
 * gets its order service's broker account Secrets once, and the order Deployment reads them; and
 * its payment service's data keys, generated once and never rotated away.
 */
class OrderBrokerAccountIT {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final KubernetesApi API = KubernetesApi.shared();
    static final KubernetesClient CLIENT = API.client();
    static final String BROKER_URI = "tcp://scanorder-broker.scanorder.svc:1883";
    static final OperatorConfig CONFIG =
            new OperatorConfig(
                    "registry.test/order:1.2", "registry.test/payment:1.2", "Always", BROKER_URI);
    static OrderServiceChannels services;
    static Operator operator;

    @BeforeAll
    static void startOperator() {
        services = new OrderServiceChannels(OrderServiceLink.defaults());
        operator = MockApiOperator.start(CLIENT, services, CONFIG);
    }

    @AfterAll
    static void stopOperator() {
        operator.stop();
        services.close();
    }

    @Test
    void storeGetsOwnedBrokerAccountSecretsThatTheOrderDeploymentReads() throws Exception {
        String ns = API.newNamespace();
        Store store = CLIENT.resource(exampleStore(ns)).create();

        Secret account =
                await().atMost(TIMEOUT)
                        .until(() -> secret(ns, "jingan-order-broker"), s -> s != null);
        Secret hash =
                await().atMost(TIMEOUT)
                        .until(() -> secret(ns, "jingan-order-broker-hash"), s -> s != null);

        for (Secret secret : List.of(account, hash)) {
            assertThat(secret.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(
                            owner -> {
                                assertThat(owner.getKind()).isEqualTo("Store");
                                assertThat(owner.getName()).isEqualTo("jingan");
                                assertThat(owner.getUid()).isEqualTo(store.getMetadata().getUid());
                                assertThat(owner.getController()).isTrue();
                            });
        }
        String username = value(account, "username");
        String password = value(account, "password");
        assertThat(username).startsWith("order-jingan-");
        assertThat(hash.getMetadata().getLabels())
                .containsEntry("scanorder.io/broker-credentials", "true");
        Credential credential = CredentialFile.parseLine(value(hash, "credentials").strip());
        assertThat(credential.principal()).isEqualTo(Principal.service(username));
        assertThat(credential.passwordHash().matches(password.toCharArray())).isTrue();

        Deployment order =
                await().atMost(TIMEOUT)
                        .until(
                                () ->
                                        CLIENT.apps()
                                                .deployments()
                                                .inNamespace(ns)
                                                .withName("jingan-order")
                                                .get(),
                                d -> d != null);
        Container container = order.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(env(container, "SCANORDER_KITCHEN_MQTT_URI").getValue()).isEqualTo(BROKER_URI);
        for (Map.Entry<String, String> e :
                Map.of(
                                "SCANORDER_KITCHEN_MQTT_USERNAME", "username",
                                "SCANORDER_KITCHEN_MQTT_PASSWORD", "password")
                        .entrySet()) {
            var ref = env(container, e.getKey()).getValueFrom().getSecretKeyRef();
            assertThat(ref.getName()).isEqualTo("jingan-order-broker");
            assertThat(ref.getKey()).isEqualTo(e.getValue());
            assertThat(account.getData()).containsKey(ref.getKey());
        }
    }

    @Test
    void resyncKeepsTheSecretsAndALostBrokerSecretIsReissuedForTheSamePassword() throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(exampleStore(ns)).create();
        Secret account =
                await().atMost(TIMEOUT)
                        .until(() -> secret(ns, "jingan-order-broker"), s -> s != null);
        Secret hash =
                await().atMost(TIMEOUT)
                        .until(() -> secret(ns, "jingan-order-broker-hash"), s -> s != null);

        // A spec edit makes the operator reconcile the store again.
        long generation = editSpec(ns, "1900009232");
        awaitObserved(ns, generation);

        Secret accountAfter = secret(ns, "jingan-order-broker");
        Secret hashAfter = secret(ns, "jingan-order-broker-hash");
        assertThat(accountAfter.getData()).isEqualTo(account.getData());
        assertThat(accountAfter.getMetadata().getResourceVersion())
                .isEqualTo(account.getMetadata().getResourceVersion());
        assertThat(hashAfter.getData()).isEqualTo(hash.getData());
        assertThat(hashAfter.getMetadata().getResourceVersion())
                .isEqualTo(hash.getMetadata().getResourceVersion());

        // Deleted by hand: the next pass gives the broker a line for the password the order
        // pods already hold, so they need no restart.
        CLIENT.secrets().inNamespace(ns).withName("jingan-order-broker-hash").delete();
        awaitObserved(ns, editSpec(ns, "1900009233"));
        Secret reissued =
                await().atMost(TIMEOUT)
                        .until(() -> secret(ns, "jingan-order-broker-hash"), s -> s != null);
        assertThat(value(secret(ns, "jingan-order-broker"), "password"))
                .isEqualTo(value(account, "password"));
        assertThat(
                        CredentialFile.parseLine(value(reissued, "credentials").strip())
                                .passwordHash()
                                .matches(value(account, "password").toCharArray()))
                .isTrue();
    }

    @Test
    void paymentDataKeysAreIssuedOnceKeptAcrossResyncAndMountedByThePaymentDeployment()
            throws Exception {
        String ns = API.newNamespace();
        CLIENT.resource(exampleStore(ns)).create();
        Secret keys =
                await().atMost(TIMEOUT)
                        .until(() -> secret(ns, "jingan-payment-data"), s -> s != null);
        assertThat(keys.getData()).containsOnlyKeys("k1", "lookup");
        // Payment rows outlive the Store: the keys must not be garbage-collected with it.
        assertThat(keys.getMetadata().getOwnerReferences()).isEmpty();

        awaitObserved(ns, editSpec(ns, "1900009232"));

        Secret after = secret(ns, "jingan-payment-data");
        assertThat(after.getData()).isEqualTo(keys.getData());
        assertThat(after.getMetadata().getResourceVersion())
                .isEqualTo(keys.getMetadata().getResourceVersion());
        Deployment payment =
                await().atMost(TIMEOUT)
                        .until(
                                () ->
                                        CLIENT.apps()
                                                .deployments()
                                                .inNamespace(ns)
                                                .withName("jingan-payment")
                                                .get(),
                                d -> d != null);
        assertThat(payment.getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null)
                .extracting(v -> v.getSecret().getSecretName())
                .contains("jingan-payment-data");
    }

    private static long editSpec(String ns, String subMchId) {
        Store edited =
                CLIENT.resources(Store.class)
                        .inNamespace(ns)
                        .withName("jingan")
                        .edit(
                                s -> {
                                    s.getSpec().getPayment().setSubMchId(subMchId);
                                    return s;
                                });
        return edited.getMetadata().getGeneration();
    }

    private static void awaitObserved(String ns, long generation) {
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
                                    .isEqualTo(generation);
                        });
    }

    private static Secret secret(String ns, String name) {
        return CLIENT.secrets().inNamespace(ns).withName(name).get();
    }

    private static String value(Secret secret, String key) {
        assertThat(secret.getData()).containsKey(key);
        return DeviceCredentials.decode(secret.getData().get(key));
    }

    private static EnvVar env(Container container, String name) {
        return container.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(
                        () ->
                                new AssertionError(
                                        "no variable " + name + " in " + container.getEnv()));
    }

    private static Store exampleStore(String namespace) throws Exception {
        Store store =
                Serialization.unmarshal(
                        Files.readString(Path.of("../crds/examples/store-jingan.yaml")),
                        Store.class);
        store.getMetadata().setNamespace(namespace);
        return store;
    }
}
