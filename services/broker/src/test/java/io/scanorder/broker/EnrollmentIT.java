package io.scanorder.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.InMemoryCredentialStore;
import io.scanorder.broker.auth.PasswordHash;
import io.scanorder.broker.enroll.Enrollments;
import io.scanorder.broker.topic.Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One-time enrollment codes redeemed over MQTT against the real extension, file persistence. */
class EnrollmentIT {

    private static final String PASSWORD = "dev-password-1";
    private static final String CODE = "K7QX-M2PD";

    @TempDir Path dir;
    private EmbeddedBroker broker;

    private EmbeddedBroker start(String deviceId, Instant expiresAt) {
        InMemoryCredentialStore store = new InMemoryCredentialStore();
        store.putAll(
                java.util.List.of(
                        new Credential(
                                Principal.device("001", deviceId),
                                PasswordHash.create(PASSWORD.toCharArray(), 1_000))));
        Enrollments.writeEntry(
                dir.resolve("enrollments"),
                deviceId,
                "001",
                PASSWORD,
                PasswordHash.create(CODE.toCharArray(), 1_000).encode(),
                expiresAt);
        broker =
                EmbeddedBroker.builder()
                        .dataFolder(dir.resolve("broker"))
                        .credentials(store)
                        .enrollmentPath(dir.resolve("enrollments"))
                        .build()
                        .start();
        return broker;
    }

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.stop();
        }
    }

    private Map<String, String> enroll(String deviceId, String code) throws MqttException {
        MqttAsyncClient client =
                new MqttAsyncClient(broker.uri(), "enroll-" + deviceId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("enroll:" + deviceId);
        options.setPassword(code.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(10_000);
            Map<String, String> props =
                    token.getResponseProperties().getUserProperties().stream()
                            .collect(
                                    Collectors.toMap(UserProperty::getKey, UserProperty::getValue));
            client.disconnect().waitForCompletion(5_000);
            return props;
        } finally {
            client.close(true);
        }
    }

    @Test
    void codeIsRedeemedOnceEvenAcrossBrokerRestart() throws Exception {
        start("hot-1", Instant.now().plus(1, ChronoUnit.HOURS));

        assertThat(enroll("hot-1", CODE))
                .containsEntry("scanorder-username", "hot-1")
                .containsEntry("scanorder-store-code", "001")
                .containsEntry("scanorder-password", PASSWORD);

        assertThatThrownBy(() -> enroll("hot-1", CODE))
                .isInstanceOf(MqttException.class)
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo(0x87);

        broker.stop();
        broker.start();
        assertThatThrownBy(() -> enroll("hot-1", CODE))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo(0x87);
    }

    @Test
    void wrongCodeIsRefusedAndDoesNotUseUpTheCode() throws Exception {
        start("hot-1", Instant.now().plus(1, ChronoUnit.HOURS));

        assertThatThrownBy(() -> enroll("hot-1", "AAAA-BBBB"))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo(0x86);
        assertThatThrownBy(() -> enroll("nobody", CODE))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo(0x86);

        assertThat(enroll("hot-1", CODE)).containsEntry("scanorder-password", PASSWORD);
    }

    @Test
    void tenWrongCodesLockTheDeviceSoEvenTheRightCodeIsRefused() throws Exception {
        start("hot-1", Instant.now().plus(1, ChronoUnit.HOURS));
        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> enroll("hot-1", "AAAA-BBBB"))
                    .extracting(e -> ((MqttException) e).getReasonCode())
                    .isEqualTo(0x86);
        }

        assertThatThrownBy(() -> enroll("hot-1", CODE))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo(0x9F);
    }

    @Test
    void expiredCodeIsRefused() throws Exception {
        start("hot-1", Instant.now().minus(1, ChronoUnit.MINUTES));

        assertThatThrownBy(() -> enroll("hot-1", CODE))
                .extracting(e -> ((MqttException) e).getReasonCode())
                .isEqualTo(0x83);
    }

    @Test
    void enrollmentConnectionMayNotPublishOrSubscribe() throws Exception {
        start("hot-1", Instant.now().plus(1, ChronoUnit.HOURS));
        MqttAsyncClient client =
                new MqttAsyncClient(broker.uri(), "enroll-hot-1", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("enroll:hot-1");
        options.setPassword(CODE.getBytes(StandardCharsets.UTF_8));
        try {
            client.connect(options).waitForCompletion(10_000);
            IMqttToken sub = client.subscribe("scanorder/001/devices/hot-1/tickets", 1);
            sub.waitForCompletion(10_000);
            assertThat(sub.getReasonCodes()[0]).isEqualTo(0x87);
        } finally {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(5_000);
            }
            client.close(true);
        }
    }
}
