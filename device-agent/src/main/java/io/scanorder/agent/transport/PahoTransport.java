package io.scanorder.agent.transport;

import io.scanorder.agent.config.AgentConfig;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

/**
 * {@link Transport} over Eclipse Paho MQTT 5, the only class that imports Paho.
 *
 * <p>Persistent session (clean start off, session expiry from the config) so tickets queued while
 * the device is away are delivered when it returns; last will {@code offline} retained on the
 * status topic; {@code online} retained after every connection; automatic reconnect with 1-30 s
 * back-off.
 */
public final class PahoTransport implements Transport {

    public static final byte[] ONLINE = "online".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] OFFLINE = "offline".getBytes(StandardCharsets.US_ASCII);

    private static final System.Logger LOG = System.getLogger(PahoTransport.class.getName());
    private static final long TIMEOUT_MS = 10_000;

    private final AgentConfig config;
    private final MqttAsyncClient client;
    private final Map<DeviceChannel, MessageHandler> handlers = new ConcurrentHashMap<>();

    /**
     * How long a message that arrives before its channel's handler is registered waits for it. With
     * a persistent session the broker delivers queued messages right after CONNACK, before the
     * application has subscribed; acknowledging them unhandled would lose them.
     */
    static final long HANDLER_WAIT_MS = 10_000;

    public PahoTransport(AgentConfig config) {
        this.config = config;
        try {
            // In-memory in-flight store: the store-and-forward outbox is the agent's own job.
            this.client =
                    new MqttAsyncClient(
                            config.brokerUri().toString(),
                            config.deviceId(),
                            new MemoryPersistence());
        } catch (MqttException e) {
            throw new IllegalArgumentException(
                    "cannot create MQTT client for " + config.brokerUri() + ": " + e.getMessage(),
                    e);
        }
        client.setCallback(new Callback());
    }

    private String topic(DeviceChannel channel) {
        return channel.topic(config.storeCode(), config.deviceId());
    }

    MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(config.deviceId());
        options.setPassword(config.brokerPassword().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(false);
        options.setSessionExpiryInterval(config.sessionExpiry().toSeconds());
        options.setKeepAliveInterval(30);
        options.setConnectionTimeout(10);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 30);
        MqttMessage will = new MqttMessage(OFFLINE, 1, true, null);
        options.setWill(topic(DeviceChannel.STATUS), will);
        return options;
    }

    @Override
    public void connect() throws TransportException {
        try {
            client.connect(options()).waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            throw new TransportException(
                    "cannot connect device '"
                            + config.deviceId()
                            + "' to "
                            + config.brokerUri()
                            + ": "
                            + describe(e),
                    e);
        }
    }

    @Override
    public void publish(DeviceChannel channel, byte[] payload) throws TransportException {
        if (!channel.outgoing()) {
            throw new IllegalArgumentException(
                    "channel " + channel.level() + " is written by the server, not the device");
        }
        try {
            IMqttToken token =
                    client.publish(topic(channel), payload, channel.qos(), channel.retained());
            if (channel.qos() > 0) {
                token.waitForCompletion(TIMEOUT_MS);
            }
        } catch (MqttException e) {
            throw new TransportException(
                    "cannot publish to " + topic(channel) + ": " + describe(e), e);
        }
    }

    @Override
    public void subscribe(DeviceChannel channel, MessageHandler handler) throws TransportException {
        if (channel.outgoing()) {
            throw new IllegalArgumentException(
                    "channel " + channel.level() + " is written by the device, not the server");
        }
        synchronized (handlers) {
            handlers.put(channel, handler);
            handlers.notifyAll();
        }
        if (client.isConnected()) {
            try {
                IMqttToken token =
                        client.subscribe(new MqttSubscription(topic(channel), channel.qos()));
                token.waitForCompletion(TIMEOUT_MS);
                int code = token.getReasonCodes()[0];
                if (code >= 0x80) {
                    throw new TransportException(
                            "broker refused subscription to "
                                    + topic(channel)
                                    + " (reason code 0x"
                                    + Integer.toHexString(code)
                                    + ")");
                }
            } catch (MqttException e) {
                throw new TransportException(
                        "cannot subscribe to " + topic(channel) + ": " + describe(e), e);
            }
        }
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.isConnected()) {
                // a clean DISCONNECT suppresses the will, so say offline ourselves
                client.publish(topic(DeviceChannel.STATUS), OFFLINE, 1, true)
                        .waitForCompletion(TIMEOUT_MS);
                client.disconnect().waitForCompletion(TIMEOUT_MS);
            }
        } catch (MqttException e) {
            LOG.log(Level.WARNING, "unclean disconnect from " + config.brokerUri(), e);
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.log(Level.DEBUG, "closing MQTT client", e);
            }
        }
    }

    /**
     * Checks that the broker accepts this device's credentials, without disturbing its session: no
     * will, no {@code online}, and manual acknowledgements so that any ticket the broker delivers
     * meanwhile stays unacknowledged and is delivered again to the agent.
     *
     * @throws TransportException saying why the connection was refused
     */
    public static void checkCredentials(AgentConfig config) throws TransportException {
        MqttAsyncClient probe;
        try {
            probe =
                    new MqttAsyncClient(
                            config.brokerUri().toString(),
                            config.deviceId(),
                            new MemoryPersistence());
        } catch (MqttException e) {
            throw new TransportException("cannot create MQTT client: " + describe(e), e);
        }
        probe.setManualAcks(true);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(config.deviceId());
        options.setPassword(config.brokerPassword().getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(false);
        options.setSessionExpiryInterval(config.sessionExpiry().toSeconds());
        options.setConnectionTimeout(10);
        try {
            probe.connect(options).waitForCompletion(TIMEOUT_MS);
            probe.disconnect().waitForCompletion(TIMEOUT_MS);
        } catch (MqttException e) {
            throw new TransportException(
                    "broker "
                            + config.brokerUri()
                            + " refused device '"
                            + config.deviceId()
                            + "': "
                            + describe(e),
                    e);
        } finally {
            try {
                probe.close(true);
            } catch (MqttException e) {
                LOG.log(Level.DEBUG, "closing MQTT probe", e);
            }
        }
    }

    /**
     * Redeems a one-time enrollment code: connects as {@code enroll:<deviceId>} with client id
     * {@code enroll-<deviceId>}, the code as password and no session, and reads the credentials the
     * broker's extension puts into the CONNACK's user properties. The broker allows nothing else on
     * this connection, which is closed at once.
     *
     * @throws EnrollmentRefusedException if the broker answered no (wrong, used, expired code...)
     * @throws TransportException if the broker could not be reached or answered without credentials
     */
    public static EnrollmentGrant enroll(java.net.URI broker, String deviceId, String code)
            throws TransportException {
        MqttAsyncClient client;
        try {
            client =
                    new MqttAsyncClient(
                            broker.toString(), "enroll-" + deviceId, new MemoryPersistence());
        } catch (MqttException e) {
            throw new TransportException("cannot create MQTT client: " + describe(e), e);
        }
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("enroll:" + deviceId);
        options.setPassword(code.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setSessionExpiryInterval(0L);
        options.setConnectionTimeout(10);
        try {
            IMqttToken token = client.connect(options);
            token.waitForCompletion(TIMEOUT_MS);
            Map<String, String> granted = new java.util.HashMap<>();
            MqttProperties properties = token.getResponseProperties();
            if (properties != null && properties.getUserProperties() != null) {
                properties.getUserProperties().forEach(p -> granted.put(p.getKey(), p.getValue()));
            }
            try {
                client.disconnect().waitForCompletion(TIMEOUT_MS);
            } catch (MqttException e) {
                LOG.log(Level.DEBUG, "closing enrollment connection", e);
            }
            String password = granted.get("scanorder-password");
            String store = granted.get("scanorder-store-code");
            if (password == null
                    || store == null
                    || !deviceId.equals(granted.get("scanorder-username"))) {
                throw new TransportException(
                        "broker "
                                + broker
                                + " accepted the enrollment of '"
                                + deviceId
                                + "' but sent no credentials back; is it the ScanOrder broker?");
            }
            return new EnrollmentGrant(deviceId, store, password);
        } catch (MqttException e) {
            int rc = e.getReasonCode();
            if (rc >= 0x80 && rc <= 0xFF) {
                throw new EnrollmentRefusedException(
                        "broker "
                                + broker
                                + " refused the enrollment of '"
                                + deviceId
                                + "': "
                                + describe(e),
                        rc,
                        e);
            }
            throw new TransportException(
                    "cannot reach broker "
                            + broker
                            + " to enroll '"
                            + deviceId
                            + "': "
                            + describe(e),
                    e);
        } finally {
            try {
                client.close(true);
            } catch (MqttException e) {
                LOG.log(Level.DEBUG, "closing enrollment client", e);
            }
        }
    }

    private static String describe(MqttException e) {
        return e.getMessage() + " (reason code " + e.getReasonCode() + ")";
    }

    /** Paho callbacks run on Paho's thread: never wait on a token here. */
    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverURI) {
            LOG.log(Level.INFO, (reconnect ? "reconnected to " : "connected to ") + serverURI);
            try {
                client.publish(topic(DeviceChannel.STATUS), ONLINE, 1, true);
                for (DeviceChannel channel : handlers.keySet()) {
                    client.subscribe(new MqttSubscription(topic(channel), channel.qos()));
                }
            } catch (MqttException e) {
                LOG.log(Level.WARNING, "cannot announce online after connecting", e);
            }
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
            DeviceChannel channel = null;
            for (DeviceChannel c : DeviceChannel.values()) {
                if (!c.outgoing() && topic(c).equals(topic)) {
                    channel = c;
                }
            }
            if (channel == null) {
                LOG.log(Level.WARNING, "message on unexpected topic " + topic + "; dropped it");
                return;
            }
            MessageHandler handler = awaitHandler(channel);
            if (handler == null) {
                LOG.log(
                        Level.WARNING,
                        "message on "
                                + topic
                                + " dropped: this application does not handle that channel (no"
                                + " handler after "
                                + HANDLER_WAIT_MS
                                + " ms; a subscription left in the device's session from an"
                                + " earlier role?)");
                return;
            }
            try {
                handler.onMessage(channel, message.getPayload());
            } catch (RuntimeException failure) {
                // Paho drops the connection when a callback throws: one bad message must not take
                // the device offline, so log it and carry on.
                LOG.log(
                        Level.ERROR,
                        "handler for " + topic + " failed on a message; dropped it",
                        failure);
            }
        }

        /**
         * The channel's handler, waiting up to {@link #HANDLER_WAIT_MS} for the application to
         * register it, or null. Paho acknowledges a message only when this callback returns, so a
         * queued ticket that arrives between CONNACK and the subscription is held, not lost.
         */
        private MessageHandler awaitHandler(DeviceChannel channel) throws InterruptedException {
            long deadline = System.nanoTime() + HANDLER_WAIT_MS * 1_000_000;
            synchronized (handlers) {
                MessageHandler handler = handlers.get(channel);
                while (handler == null) {
                    long leftMs = (deadline - System.nanoTime()) / 1_000_000;
                    if (leftMs <= 0) {
                        return null;
                    }
                    handlers.wait(leftMs);
                    handler = handlers.get(channel);
                }
                return handler;
            }
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            LOG.log(
                    Level.WARNING,
                    "disconnected from "
                            + config.brokerUri()
                            + ": "
                            + response.getReasonString()
                            + " (reason code "
                            + response.getReturnCode()
                            + "); reconnecting");
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {
            LOG.log(Level.WARNING, "MQTT error: " + describe(exception));
        }

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }
}
