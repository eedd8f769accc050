package io.scanorder.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.Test;

class MqttBrokerIT {

    private static MqttClient connect(String clientId, String user, String password)
            throws MqttException {
        MqttClient client =
                new MqttClient(MqttBroker.shared().uri(), clientId, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        client.connect(options);
        return client;
    }

    @Test
    void sharedBrokerIsOneInstanceOnLoopback() {
        assertThat(MqttBroker.shared()).isSameAs(MqttBroker.shared());
        assertThat(MqttBroker.shared().uri())
                .isEqualTo("tcp://127.0.0.1:" + MqttBroker.shared().port());
    }

    @Test
    void deviceMessageRoundTripsToAServiceSubscriber() throws Exception {
        MqttBroker broker =
                MqttBroker.shared()
                        .addDevice("009", "kit-printer", "dev-pw")
                        .addServiceAccount("kit-service", "svc-pw");
        MqttServiceClient service =
                new MqttServiceClient(broker, "kit-service", "svc-pw")
                        .subscribe("$share/kit/scanorder/009/devices/+/acks");
        MqttClient device = connect("kit-printer", "kit-printer", "dev-pw");

        device.publish(
                "scanorder/009/devices/kit-printer/acks",
                "printed T-1".getBytes(StandardCharsets.UTF_8),
                1,
                false);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(service.lines())
                                        .containsExactly(
                                                "scanorder/009/devices/kit-printer/acks printed T-1"));
        device.disconnect();
        device.close();
        service.close();
        assertThat(broker.port()).isPositive();
    }

    @Test
    void removedUserCannotConnect() {
        MqttBroker.shared().addDevice("009", "kit-gone", "pw").removeUser("kit-gone");
        assertThatThrownBy(() -> connect("kit-gone", "kit-gone", "pw"))
                .isInstanceOf(MqttException.class);
    }

    @Test
    void restartKeepsThePortAndTheCredentialsAndDropsConnectedClients() throws Exception {
        MqttBroker broker = MqttBroker.shared().addDevice("009", "kit-restart", "pw");
        int port = broker.port();
        MqttClient before = connect("kit-restart", "kit-restart", "pw");

        broker.restart();

        assertThat(broker.port()).isEqualTo(port);
        await().atMost(Duration.ofSeconds(10)).until(() -> !before.isConnected());
        before.close();
        // the extension is back: known credentials connect, unknown ones are refused
        MqttClient after = connect("kit-restart", "kit-restart", "pw");
        assertThat(after.isConnected()).isTrue();
        after.disconnect();
        after.close();
        assertThatThrownBy(() -> connect("kit-restart", "kit-restart", "wrong"))
                .isInstanceOf(MqttException.class);
    }
}
