package io.scanorder.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.CredentialFile;
import io.scanorder.broker.auth.PasswordHash;
import io.scanorder.broker.auth.SecretVolume;
import io.scanorder.broker.topic.DeviceTopics;
import io.scanorder.broker.topic.DeviceTopics.Channel;
import io.scanorder.broker.topic.Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker reads its credentials from a directory laid out like a mounted Kubernetes Secret and
 * applies changes to it while running.
 */
class CredentialHotReloadIT {

    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;

    private static final String DEVICE_A = line(Principal.device("001", "A"), "a-secret");
    private static final String DEVICE_B = line(Principal.device("001", "B"), "b-secret");
    private static final String SERVICE = line(Principal.service("order-service"), "svc-secret");

    @TempDir Path dir;
    private EmbeddedBroker broker;
    private SecretVolume secret;
    private final List<MqttAsyncClient> clients = new ArrayList<>();

    private static String line(Principal p, String password) {
        return CredentialFile.format(
                        new Credential(p, PasswordHash.create(password.toCharArray(), 1_000)))
                + "\n";
    }

    @BeforeEach
    void startBroker() throws Exception {
        secret =
                SecretVolume.create(
                        dir.resolve("secret"),
                        Map.of("A", DEVICE_A, "B", DEVICE_B, "order-service", SERVICE));
        broker =
                EmbeddedBroker.builder()
                        .dataFolder(dir.resolve("broker"))
                        .credentialPath(secret.dir())
                        // only the file event can explain a reload within the test's timeouts
                        .credentialPollInterval(Duration.ofMinutes(5))
                        .persistence(EmbeddedBroker.Persistence.IN_MEMORY)
                        .build()
                        .start();
    }

    @AfterEach
    void stopBroker() {
        for (MqttAsyncClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect().waitForCompletion(5_000);
                }
                c.close(true);
            } catch (MqttException ignored) {
                // best effort cleanup
            }
        }
        broker.stop();
    }

    private MqttAsyncClient connect(
            String clientId, String user, String password, List<MqttDisconnectResponse> disconnects)
            throws MqttException {
        MqttAsyncClient client =
                new MqttAsyncClient(broker.uri(), clientId, new MemoryPersistence());
        clients.add(client);
        client.setCallback(new DisconnectRecorder(disconnects));
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setConnectionTimeout(10);
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    @Test
    void revokedDeviceIsDisconnectedAndRefusedWithoutBrokerRestart() throws Exception {
        List<MqttDisconnectResponse> atA = new CopyOnWriteArrayList<>();
        List<MqttDisconnectResponse> atB = new CopyOnWriteArrayList<>();
        List<MqttDisconnectResponse> atService = new CopyOnWriteArrayList<>();
        connect("A", "A", "a-secret", atA);
        MqttAsyncClient deviceB = connect("B", "B", "b-secret", atB);
        connect("order-service-7", "order-service", "svc-secret", atService);

        secret.update(Map.of("B", DEVICE_B));

        await().atMost(Duration.ofSeconds(10)).until(() -> !atA.isEmpty() && !atService.isEmpty());
        assertThat(atA.get(0).getReturnCode()).isEqualTo(NOT_AUTHORIZED);
        assertThat(atA.get(0).getReasonString())
                .isEqualTo("credential of 'A' was revoked or replaced");
        assertThat(atService.get(0).getReturnCode()).isEqualTo(NOT_AUTHORIZED);
        assertThatThrownBy(() -> connect("A", "A", "a-secret", new CopyOnWriteArrayList<>()))
                .isInstanceOfSatisfying(
                        MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));

        // the untouched device kept its session and can still publish
        assertThat(broker.isRunning()).isTrue();
        assertThat(deviceB.isConnected()).isTrue();
        deviceB.publish(
                        DeviceTopics.topic("001", "B", Channel.ACKS),
                        new MqttMessage(new byte[] {1}))
                .waitForCompletion(10_000);
        assertThat(atB).isEmpty();
    }

    @Test
    void rotatedPasswordDisconnectsTheOldSessionAndAdmitsTheNewPassword() throws Exception {
        List<MqttDisconnectResponse> atA = new CopyOnWriteArrayList<>();
        connect("A", "A", "a-secret", atA);

        secret.update(Map.of("A", line(Principal.device("001", "A"), "a-rotated"), "B", DEVICE_B));

        await().atMost(Duration.ofSeconds(10)).until(() -> !atA.isEmpty());
        assertThatThrownBy(() -> connect("A", "A", "a-secret", new CopyOnWriteArrayList<>()))
                .isInstanceOf(MqttException.class);
        assertThat(connect("A", "A", "a-rotated", new CopyOnWriteArrayList<>()).isConnected())
                .isTrue();
    }

    @Test
    void malformedSecretKeepsTheLastGoodCredentials() throws Exception {
        List<MqttDisconnectResponse> atA = new CopyOnWriteArrayList<>();
        MqttAsyncClient deviceA = connect("A", "A", "a-secret", atA);

        // A is dropped from the file, but the file also has a broken line: nothing is applied
        secret.update(Map.of("B", DEVICE_B + "B2:device:1:" + "x\n"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> broker.credentialWatcher().orElseThrow().lastError().isPresent());
        assertThat(broker.credentialWatcher().orElseThrow().lastError().orElseThrow())
                .isEqualTo(
                        secret.dir().resolve("B").toAbsolutePath()
                                + " line 2: device 'B2' needs a 3-digit store code but has '1'");
        assertThat(deviceA.isConnected()).isTrue();
        assertThat(atA).isEmpty();
        deviceA.disconnect().waitForCompletion(10_000);
        assertThat(connect("A", "A", "a-secret", atA).isConnected()).isTrue();
    }

    private record DisconnectRecorder(List<MqttDisconnectResponse> disconnects)
            implements MqttCallback {
        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {}

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
