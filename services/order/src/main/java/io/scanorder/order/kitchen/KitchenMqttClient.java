package io.scanorder.order.kitchen;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClientException;
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
 *
 * <p>QoS 1 publishes wait for a free in-flight slot ({@link InFlightSlots}, sized by the server's
 * receive maximum from CONNACK) rather than fail with Paho's "Too many publishes in progress".
 */
final class KitchenMqttClient implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(KitchenMqttClient.class);
    private static final long TIMEOUT_MS = 10_000;

    /** MQTT 5's receive maximum when CONNACK does not state one. */
    static final int DEFAULT_RECEIVE_MAXIMUM = 65_535;

    /** Pause before asking Paho again after it counted its in-flight window full. */
    private static final long PAHO_FULL_PAUSE_MS = 5;

    /** Receives every message of the subscribed channels, on the client's callback thread. */
    interface Listener {
        void message(String topic, byte[] payload);
    }

    private final MqttAsyncClient client;
    private final MqttConnectionOptions options;
    private final String[] filters;
    private final String uri;
    private volatile Runnable onConnected = () -> {};
    private final InFlightSlots slots = new InFlightSlots(DEFAULT_RECEIVE_MAXIMUM);

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

    /**
     * Connects (subscriptions follow in connectComplete) and sizes the in-flight window by the
     * server's receive maximum. Automatic reconnects keep that size: the broker's configuration
     * does not change under a running service, and a smaller window is still respected because a
     * publish Paho refuses as over its window waits and is tried again.
     */
    void connect() throws MqttException {
        IMqttToken token = client.connect(options);
        token.waitForCompletion(TIMEOUT_MS);
        MqttProperties connack = token.getResponseProperties();
        Integer max = connack == null ? null : connack.getReceiveMaximum();
        slots.reset(max == null || max < 1 ? DEFAULT_RECEIVE_MAXIMUM : max);
        LOG.infof(
                "kitchen dispatch may have %d QoS 1 publishes in flight on %s (server receive"
                        + " maximum)",
                slots.limit(), uri);
    }

    /** The in-flight window now in force (the server's receive maximum). */
    int inFlightLimit() {
        return slots.limit();
    }

    /** The most QoS 1 publishes this client ever had in flight at once. */
    int peakInFlight() {
        return slots.peak();
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
        awaitPuback(publishAsync(topic, payload, expiry), topic);
    }

    /**
     * Starts a QoS 1 publish with a message expiry, first waiting (up to 10 s) for a free in-flight
     * slot; the future completes when the broker's PUBACK arrives.
     *
     * @throws MqttException when not connected, or no slot became free in time
     */
    CompletableFuture<Void> publishAsync(String topic, byte[] payload, Duration expiry)
            throws MqttException {
        MqttProperties props = new MqttProperties();
        props.setMessageExpiryInterval(Math.max(1, expiry.toSeconds()));
        return send(topic, new MqttMessage(payload, 1, false, props));
    }

    /**
     * Publishes a retained message at QoS 1 (no expiry: it is the topic's current state) and waits
     * for the broker's PUBACK.
     *
     * @throws MqttException when not connected or the broker did not accept it in time
     */
    void publishRetained(String topic, byte[] payload) throws MqttException {
        awaitPuback(send(topic, new MqttMessage(payload, 1, true, new MqttProperties())), topic);
    }

    /** Waits for a publish's PUBACK, at most 10 s. */
    static void awaitPuback(CompletableFuture<Void> sent, String topic) throws MqttException {
        try {
            sent.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof MqttException m) {
                throw m;
            }
            throw new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, e.getCause());
        } catch (TimeoutException e) {
            throw new MqttException(
                    MqttClientException.REASON_CODE_CLIENT_TIMEOUT,
                    new TimeoutException(
                            "no PUBACK for the publish to "
                                    + topic
                                    + " within "
                                    + TIMEOUT_MS
                                    + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, e);
        }
    }

    /**
     * Hands a QoS 1 message to Paho once a slot is free; the slot is released when the publish
     * completes either way. Paho keeps its own count, updated on its receiver thread slightly
     * before our completion callback: when it still says full, wait a moment and ask again.
     */
    private CompletableFuture<Void> send(String topic, MqttMessage message) throws MqttException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        try {
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                InFlightSlots.Slot slot = slots.acquire(Math.max(0, left));
                if (slot == null) {
                    throw windowFull(topic);
                }
                CompletableFuture<Void> done = new CompletableFuture<>();
                try {
                    client.publish(
                            topic,
                            message,
                            null,
                            new MqttActionListener() {
                                @Override
                                public void onSuccess(IMqttToken token) {
                                    slot.release();
                                    done.complete(null);
                                }

                                @Override
                                public void onFailure(IMqttToken token, Throwable e) {
                                    slot.release();
                                    done.completeExceptionally(
                                            e instanceof MqttException
                                                    ? e
                                                    : new MqttException(
                                                            MqttException
                                                                    .REASON_CODE_CLIENT_EXCEPTION,
                                                            e));
                                }
                            });
                    return done;
                } catch (MqttException e) {
                    slot.release();
                    if (e.getReasonCode() != MqttClientException.REASON_CODE_MAX_INFLIGHT) {
                        throw e;
                    }
                    if (System.nanoTime() >= deadline) {
                        throw windowFull(topic);
                    }
                    slots.awaitRelease(PAHO_FULL_PAUSE_MS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MqttException(MqttException.REASON_CODE_CLIENT_EXCEPTION, e);
        }
    }

    private MqttException windowFull(String topic) {
        return new MqttException(
                MqttClientException.REASON_CODE_MAX_INFLIGHT,
                new IllegalStateException(
                        "publish to "
                                + topic
                                + " waited "
                                + TIMEOUT_MS
                                + " ms for a free in-flight slot on "
                                + uri
                                + ": "
                                + slots.inUse()
                                + " publishes still await their PUBACK (server receive maximum "
                                + slots.limit()
                                + ")"));
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
            // publishes of the lost connection are no longer in this connection's window
            slots.reset(slots.limit());
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
