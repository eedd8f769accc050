package io.scanorder.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Plays a server-side service account on a {@link MqttBroker} in tests: registers the account,
 * connects, subscribes (shared subscriptions included), publishes, and records every message it
 * receives in arrival order.
 */
public final class MqttServiceClient implements AutoCloseable {

    /** One received message. */
    public record Received(String topic, String text) {
        /** {@code "topic payload"}, handy for asserting on a topic and its payload at once. */
        public String line() {
            return topic + " " + text;
        }
    }

    private final MqttClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    /** Adds {@code user} as a service account on {@code broker} and connects as it. */
    public MqttServiceClient(MqttBroker broker, String user, String password) throws MqttException {
        broker.addServiceAccount(user, password);
        client =
                new MqttClient(
                        broker.uri(), user + "-" + System.nanoTime(), new MemoryPersistence());
        client.setCallback(new Recorder());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        client.connect(options);
    }

    /** Subscribes at QoS 1 to each filter. */
    public MqttServiceClient subscribe(String... filters) throws MqttException {
        MqttSubscription[] subscriptions = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subscriptions[i] = new MqttSubscription(filters[i], 1);
        }
        client.subscribe(subscriptions);
        return this;
    }

    /** Publishes at QoS 1, not retained. */
    public void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false);
    }

    /** Publishes at QoS 1, retained. */
    public void publishRetained(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, true);
    }

    /** Everything received so far, oldest first; a live view that grows as messages arrive. */
    public List<Received> received() {
        return Collections.unmodifiableList(received);
    }

    /** Messages received on exactly {@code topic}, oldest first (a snapshot). */
    public List<Received> on(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    /** {@code "topic payload"} of everything received so far, oldest first (a snapshot). */
    public List<String> lines() {
        return received.stream().map(Received::line).toList();
    }

    @Override
    public void close() throws MqttException {
        if (client.isConnected()) {
            client.disconnect();
        }
        client.close();
    }

    private final class Recorder implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            received.add(
                    new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8)));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {}

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
