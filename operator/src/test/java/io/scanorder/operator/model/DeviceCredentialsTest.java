package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.CredentialFile;
import io.scanorder.broker.topic.Principal;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.operator.model.DeviceCredentials.Issued;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeviceCredentialsTest {
    static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void brokerLineIsParsedByTheBrokersCredentialFileAndVerifiesThePassword() {
        String password = DeviceCredentials.newPassword(RANDOM);
        String line =
                DeviceCredentials.brokerLine(
                        "jingan-printer-hot-1", "021", DeviceCredentials.hash(password, RANDOM));

        Credential credential = CredentialFile.parseLine(line);

        assertThat(credential.principal())
                .isEqualTo(Principal.device("021", "jingan-printer-hot-1"));
        assertThat(credential.passwordHash().matches(password.toCharArray())).isTrue();
        assertThat(credential.passwordHash().matches((password + "x").toCharArray())).isFalse();
        assertThat(line).doesNotContain(password);
        assertThat(CredentialFile.format(credential)).isEqualTo(line);
    }

    @Test
    void hashMatchesOnlyTheHashedSecretAndUsesAFreshSaltEachTime() {
        String first = DeviceCredentials.hash("K7QX-M2PD", RANDOM);
        String second = DeviceCredentials.hash("K7QX-M2PD", RANDOM);

        assertThat(first).startsWith("pbkdf2-sha256$210000$").isNotEqualTo(second);
        assertThat(DeviceCredentials.matches(first, "K7QX-M2PD")).isTrue();
        assertThat(DeviceCredentials.matches(second, "K7QX-M2PD")).isTrue();
        assertThat(DeviceCredentials.matches(first, "K7QX-M2PE")).isFalse();
    }

    @Test
    void passwordsAreLongRandomAndSafeInACredentialLine() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String password = DeviceCredentials.newPassword(RANDOM);
            assertThat(password).hasSize(32).matches("[A-Za-z0-9_-]+");
            seen.add(password);
        }
        assertThat(seen).hasSize(50);
    }

    @Test
    void enrollmentCodesAreShortAndAvoidLookAlikeCharacters() {
        for (int i = 0; i < 200; i++) {
            assertThat(DeviceCredentials.newEnrollmentCode(RANDOM))
                    .matches("[A-HJKMNP-TV-Z2-9]{4}-[A-HJKMNP-TV-Z2-9]{4}")
                    .doesNotContain("0", "O", "1", "I", "L", "U");
        }
    }

    @Test
    void deviceSecretRoundTripsTheIssuedCredentialsSoTheyAreNotRegenerated() {
        KitchenDevice device = device("jingan-printer-hot-1");
        Issued issued = Issued.generate(RANDOM, Instant.parse("2026-11-26T01:00:00Z"));

        Secret secret = DeviceCredentials.deviceSecret(device, "021", "ssl://broker:8883", issued);

        assertThat(secret.getMetadata().getName()).isEqualTo("jingan-printer-hot-1-mqtt");
        assertThat(secret.getMetadata().getOwnerReferences())
                .singleElement()
                .satisfies(o -> assertThat(o.getKind()).isEqualTo("KitchenDevice"));
        Map<String, String> data = secret.getData();
        assertThat(DeviceCredentials.decode(data.get("username")))
                .isEqualTo("jingan-printer-hot-1");
        assertThat(DeviceCredentials.decode(data.get("store-code"))).isEqualTo("021");
        assertThat(DeviceCredentials.decode(data.get("broker-uri"))).isEqualTo("ssl://broker:8883");
        assertThat(DeviceCredentials.decode(data.get("enrollment-expires-at")))
                .isEqualTo("2026-11-27T01:00:00Z");
        assertThat(DeviceCredentials.matches(issued.enrollmentCodeHash(), issued.enrollmentCode()))
                .isTrue();
        assertThat(Issued.from(secret)).contains(issued);
    }

    @Test
    void brokerSecretIsLabelledForTheBrokerAndHoldsNoClearText() {
        KitchenDevice device = device("jingan-led-pickup");
        String line = DeviceCredentials.brokerLine("jingan-led-pickup", "021", "pbkdf2-sha256$x");

        Secret secret = DeviceCredentials.brokerSecret(device, line);

        assertThat(secret.getMetadata().getName()).isEqualTo("jingan-led-pickup-broker-credential");
        assertThat(secret.getMetadata().getLabels())
                .containsEntry("scanorder.io/broker-credentials", "true");
        assertThat(secret.getData()).containsOnlyKeys("credentials");
        assertThat(DeviceCredentials.decode(secret.getData().get("credentials")))
                .isEqualTo(line + "\n");
    }

    @Test
    void badStoreCodeOrBrokerUriIsRejectedNamingTheField() {
        assertThatThrownBy(() -> DeviceCredentials.brokerLinePrefix("printer", "21"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.storeCode")
                .hasMessageContaining("'21'");
        assertThatThrownBy(() -> DeviceCredentials.brokerLinePrefix("a:b", "021"))
                .hasMessageContaining("metadata.name");
        assertThatThrownBy(
                        () ->
                                DeviceCredentials.brokerUri(
                                        Map.of(DeviceCredentials.BROKER_URI_ENV, "broker:1883")))
                .hasMessageContaining("SCANORDER_BROKER_URI")
                .hasMessageContaining("'broker:1883'");
        assertThat(DeviceCredentials.brokerUri(Map.of())).isEqualTo("ssl://scanorder-broker:8883");
    }

    @Test
    void incompleteDeviceSecretIsNotMistakenForIssuedCredentials() {
        Secret partial = new Secret();
        partial.setData(Map.of("password", "c2VjcmV0"));
        assertThat(Issued.from(partial)).isEmpty();
        assertThat(Issued.from(null)).isEmpty();
    }

    private static KitchenDevice device(String name) {
        KitchenDevice device = new KitchenDevice();
        device.setMetadata(
                new ObjectMetaBuilder()
                        .withName(name)
                        .withNamespace("lotus-kitchen")
                        .withUid("uid-" + name)
                        .build());
        return device;
    }
}
