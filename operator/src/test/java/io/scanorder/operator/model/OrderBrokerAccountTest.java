package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.CredentialFile;
import io.scanorder.broker.topic.Principal;
import io.scanorder.broker.topic.TopicPolicy;
import io.scanorder.crds.v1alpha1.Store;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrderBrokerAccountTest {
    static final SecureRandom RANDOM = new SecureRandom();

    static Store store(String namespace, String name) throws IOException {
        Store store = StoreConfigTest.exampleStore();
        store.getMetadata().setNamespace(namespace);
        store.getMetadata().setName(name);
        store.getMetadata().setUid("0b6c1f9e-4d53-4a8e-9d0c-5f7e1c2a3b4d");
        return store;
    }

    @Test
    void firstPassIssuesAPasswordAndABrokerLineTheBrokersParserAcceptsAndVerifies()
            throws IOException {
        Store store = store("lotus-kitchen", "jingan");

        OrderBrokerAccount.Desired desired = OrderBrokerAccount.desired(store, null, null, RANDOM);

        String username = value(desired.account(), "username");
        String password = value(desired.account(), "password");
        assertThat(username).matches("order-jingan-[0-9a-f]{8}");
        assertThat(TopicPolicy.SERVICE_NAME.matcher(username).matches()).isTrue();
        assertThat(password).hasSize(32).matches("[A-Za-z0-9_-]+");
        String line = value(desired.brokerHash(), "credentials");
        assertThat(line).endsWith("\n").doesNotContain(password);
        Credential credential = CredentialFile.parseLine(line.strip());
        assertThat(credential.principal()).isEqualTo(Principal.service(username));
        assertThat(credential.passwordHash().matches(password.toCharArray())).isTrue();
        assertThat(credential.passwordHash().matches((password + "x").toCharArray())).isFalse();
        // The broker Secret carries only the line, under the label its sync selects by.
        assertThat(desired.brokerHash().getData()).containsOnlyKeys("credentials");
        assertThat(desired.brokerHash().getMetadata().getLabels())
                .containsEntry("scanorder.io/broker-credentials", "true")
                .containsEntry(StoreNames.STORE, "jingan");
        assertThat(desired.account().getMetadata().getLabels())
                .doesNotContainKey("scanorder.io/broker-credentials")
                .doesNotContainKey("scanorder.io/kitchen-device");
    }

    @Test
    void bothSecretsAreNamedAfterTheStoreAndOwnedByIt() throws IOException {
        Store store = store("lotus-kitchen", "jingan");

        OrderBrokerAccount.Desired desired = OrderBrokerAccount.desired(store, null, null, RANDOM);

        assertThat(desired.account().getMetadata().getName()).isEqualTo("jingan-order-broker");
        assertThat(desired.brokerHash().getMetadata().getName())
                .isEqualTo("jingan-order-broker-hash");
        for (Secret secret : new Secret[] {desired.account(), desired.brokerHash()}) {
            assertThat(secret.getMetadata().getNamespace()).isEqualTo("lotus-kitchen");
            assertThat(secret.getMetadata().getOwnerReferences())
                    .singleElement()
                    .satisfies(
                            owner -> {
                                assertThat(owner.getKind()).isEqualTo("Store");
                                assertThat(owner.getApiVersion())
                                        .isEqualTo("scanorder.io/v1alpha1");
                                assertThat(owner.getName()).isEqualTo("jingan");
                                assertThat(owner.getUid()).isEqualTo(store.getMetadata().getUid());
                                assertThat(owner.getController()).isTrue();
                            });
        }
    }

    @Test
    void laterPassesKeepThePasswordAndTheBrokerLine() throws IOException {
        Store store = store("lotus-kitchen", "jingan");
        OrderBrokerAccount.Desired first = OrderBrokerAccount.desired(store, null, null, RANDOM);

        OrderBrokerAccount.Desired second =
                OrderBrokerAccount.desired(
                        store,
                        first.account(),
                        value(first.brokerHash(), "credentials").strip(),
                        RANDOM);

        assertThat(second.account().getData()).isEqualTo(first.account().getData());
        // Unchanged data means no write: the line is not rehashed with a fresh salt.
        assertThat(second.brokerHash().getData()).isEqualTo(first.brokerHash().getData());
    }

    @Test
    void brokerLineThatNoLongerVerifiesThePasswordIsReplacedThePasswordKept() throws IOException {
        Store store = store("lotus-kitchen", "jingan");
        OrderBrokerAccount.Desired first = OrderBrokerAccount.desired(store, null, null, RANDOM);
        String staleLine =
                OrderBrokerAccount.brokerLinePrefix(value(first.account(), "username"))
                        + DeviceCredentials.hash("an-older-password", RANDOM);

        OrderBrokerAccount.Desired second =
                OrderBrokerAccount.desired(store, first.account(), staleLine, RANDOM);

        String password = value(first.account(), "password");
        assertThat(value(second.account(), "password")).isEqualTo(password);
        String line = value(second.brokerHash(), "credentials").strip();
        assertThat(line).isNotEqualTo(staleLine);
        assertThat(CredentialFile.parseLine(line).passwordHash().matches(password.toCharArray()))
                .isTrue();
    }

    @Test
    void callerCanSkipTheSlowCheckForALineItVerifiedBefore() throws IOException {
        Store store = store("lotus-kitchen", "jingan");
        OrderBrokerAccount.Desired first = OrderBrokerAccount.desired(store, null, null, RANDOM);
        String line = value(first.brokerHash(), "credentials").strip();
        String password = value(first.account(), "password");
        String hash = line.substring(line.lastIndexOf(':') + 1);
        List<String> checked = new ArrayList<>();

        OrderBrokerAccount.Desired kept =
                OrderBrokerAccount.desired(
                        store,
                        first.account(),
                        line,
                        RANDOM,
                        (encoded, candidate) -> checked.add(encoded + " " + candidate));
        OrderBrokerAccount.Desired replaced =
                OrderBrokerAccount.desired(
                        store, first.account(), line, RANDOM, (encoded, candidate) -> false);

        assertThat(checked).containsExactly(hash + " " + password);
        assertThat(value(kept.brokerHash(), "credentials").strip()).isEqualTo(line);
        assertThat(value(replaced.brokerHash(), "credentials").strip()).isNotEqualTo(line);
        assertThat(OrderBrokerAccount.fingerprint(hash, password))
                .isEqualTo(OrderBrokerAccount.fingerprint(hash, password))
                .isNotEqualTo(OrderBrokerAccount.fingerprint(hash, password + "x"))
                .doesNotContain(password);
    }

    @Test
    void sameStoreNameInTwoNamespacesGetsTwoBrokerAccounts() throws IOException {
        String lotus = OrderBrokerAccount.username(store("lotus-kitchen", "jingan"));
        String peony = OrderBrokerAccount.username(store("peony-noodles", "jingan"));

        assertThat(lotus).isNotEqualTo(peony).startsWith("order-jingan-");
        assertThat(peony).startsWith("order-jingan-");
        assertThat(OrderBrokerAccount.username(store("lotus-kitchen", "jingan"))).isEqualTo(lotus);
    }

    @Test
    void longOrDottedStoreNamesStillMakeAValidServiceAccountName() throws IOException {
        String username =
                OrderBrokerAccount.username(
                        store("lotus-kitchen", "shanghai.jingan." + "a".repeat(200)));

        assertThat(username).startsWith("order-shanghai-jingan-aaa").doesNotContain(".");
        assertThat(TopicPolicy.SERVICE_NAME.matcher(username).matches()).isTrue();
    }

    private static String value(Secret secret, String key) {
        assertThat(secret.getData()).containsKey(key);
        return DeviceCredentials.decode(secret.getData().get(key));
    }
}
