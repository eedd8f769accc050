package io.scanorder.order.kitchen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.jboss.logging.Logger;

/**
 * The order service's MQTT 5 connection (Eclipse Paho; the only class here that touches Paho):
 * publishes tickets at QoS 1 with a message expiry and consumes the device channels through shared
 * subscriptions ({@code $share/<username>/...}) so replicas split the load. Reconnects by itself
 * and subscribes again after every connection (clean start: what was missed while away is recovered
 * by the outbox's republishing, which devices answer by re-sending their ack).
 */
final class KitchenMqttClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KitchenMqttClient.class);
    private static final long TIMEOUT_MS = 10_000;

    /** Receives every message of the subscribed channels, on the client's callback thread. */
    interface Listener {
        void message(String topic, byte[] payload);
    }

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String[] filters;
    private final String uri;
    private volatile Runnable onConnected = () -> {};

    KitchenMqttClient(
            String uri, String username, String password, Listener listener, String... channels) {
        this.uri = uri;
        String clientId = username + "-" + UUID.randomUUID().toString().substring(0, 8);
        try {
            client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException(
                    "scanorder.kitchen.mqtt.uri '" + uri + "' is not usable: " + e.getMessage(), e);
        }
        filters = new String[channels.length];
        for (int i = 0; i < channels.length; i++) {
            filters[i] = KitchenTopics.sharedFilter(username, channels[i]);
        }
        options = new MqttConnectionOptions();
        options.setUserName(username);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 30);
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        client.setCallback(new Callback(listener));
    }

    /** Connects (subscriptions follow in connectComplete). */
    void connect() throws MqttException {
        client.connect(options).waitForCompletion(TIMEOUT_MS);
    }

    boolean isConnected() {
        return client.isConnected();
    }

    /**
     * Publishes at QoS 1 and waits for the broker's PUBACK.
     *
     * @throws MqttException when not connected or the broker did not accept it in time
     */
    void publish(String topic, byte[] payload, Duration expiry) throws MqttException {
        MqttProperties props = new MqttProperties();
        props.setMessageExpiryInterval(Math.max(1, expiry.toSeconds()));
        MqttMessage message = new MqttMessage(payload, 1, false, props);
        client.publish(topic, message).waitForCompletion(TIMEOUT_MS);
    }

    /**
     * Publishes a retained message at QoS 1 (no expiry: it is the topic's current state) and waits
     * for the broker's PUBACK.
     *
     * @throws MqttException when not connected or the broker did not accept it in time
     */
    void publishRetained(String topic, byte[] payload) throws MqttException {
        client.publish(topic, new MqttMessage(payload, 1, true, new MqttProperties()))
                .waitForCompletion(TIMEOUT_MS);
    }

    /** Runs {@code task} after every (re)connection, once the subscriptions are requested. */
    void onConnected(Runnable task) {
        this.onConnected = task;
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                client.disconnect().waitForCompletion(TIMEOUT_MS);
            }
            client.close(true);
        } catch (MqttException e) {
            LOG.debugf("closing the MQTT connection: %s", e.getMessage());
        }
    }

    private void subscribe() {
        MqttSubscription[] subs = new MqttSubscription[filters.length];
        for (int i = 0; i < filters.length; i++) {
            subs[i] = new MqttSubscription(filters[i], 1);
        }
        try {
            client.subscribe(subs)
                    .setActionCallback(
                            new org.eclipse.paho.mqttv5.client.MqttActionListener() {
                                @Override
                                public void onSuccess(IMqttToken token) {
                                    LOG.infof(
                                            "kitchen dispatch subscribed on %s: %s",
                                            uri, String.join(", ", filters));
                                }

                                @Override
                                public void onFailure(IMqttToken token, Throwable e) {
                                    LOG.errorf(
                                            "kitchen dispatch could not subscribe on %s (%s);"
                                                    + " device acks are not read: check the"
                                                    + " service account's broker permissions",
                                            uri, e.getMessage());
                                }
                            });
        } catch (MqttException e) {
            LOG.errorf("kitchen dispatch could not subscribe on %s: %s", uri, e.getMessage());
        }
    }

    private final class Callback implements MqttCallback {
        private final Listener listener;

        Callback(Listener listener) {
            this.listener = listener;
        }

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            LOG.infof("kitchen dispatch connected to %s%s", serverURI, reconnect ? " again" : "");
            subscribe();
            try {
                onConnected.run();
            } catch (RuntimeException e) {
                LOG.errorf(e, "work after connecting to %s failed", serverURI);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            try {
                listener.message(topic, message.getPayload());
            } catch (RuntimeException e) {
                // an exception here would make Paho drop the connection
                LOG.errorf(e, "handling a message on %s failed", topic);
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.warnf(
                    "kitchen dispatch lost its MQTT connection to %s (%s); reconnecting",
                    uri, response.getReasonString());
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.warnf("MQTT error on %s: %s", uri, exception.getMessage());
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
