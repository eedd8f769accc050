package io.scanorder.agent.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.testkit.MqttBroker;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

/** Plays the order service on the broker: publishes tickets, records what devices send back. */
final class ServiceClient implements AutoCloseable {

    /** One received message, its payload parsed as JSON where it is JSON. */
    record Received(String topic, String text) {
        JsonNode json() {
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new AssertionError("not JSON on " + topic + ": " + text, e);
            }
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String USER = "fleet-it-service";
    static final String PASSWORD = "fleet-it-pw";

    private final MqttClient client;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    ServiceClient(MqttBroker broker) throws MqttException {
        broker.addServiceAccount(USER, PASSWORD);
        client =
                new MqttClient(
                        broker.uri(), USER + "-" + System.nanoTime(), new MemoryPersistence());
        client.setCallback(
                new MqttCallback() {
                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        received.add(
                                new Received(
                                        topic,
                                        new String(message.getPayload(), StandardCharsets.UTF_8)));
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
                });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(USER);
        options.setPassword(PASSWORD.getBytes(StandardCharsets.UTF_8));
        client.connect(options);
    }

    ServiceClient subscribe(String... topics) throws MqttException {
        MqttSubscription[] subs = new MqttSubscription[topics.length];
        for (int i = 0; i < topics.length; i++) {
            subs[i] = new MqttSubscription(topics[i], 1);
        }
        client.subscribe(subs);
        return this;
    }

    void publish(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, false);
    }

    void publishRetained(String topic, byte[] payload) throws MqttException {
        client.publish(topic, payload, 1, true);
    }

    /** Messages received on {@code topic}, oldest first. */
    List<Received> on(String topic) {
        return received.stream().filter(r -> r.topic().equals(topic)).toList();
    }

    @Override
    public void close() throws MqttException {
        client.disconnect();
        client.close();
    }
}
