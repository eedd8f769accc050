package io.scanorder.agent.transport;

/**
 * The agent's only way to talk to the broker. Application code (heartbeat, later tickets and
 * alarms) sees channels and bytes, never MQTT library types.
 *
 * <p>Implementations keep one persistent session per device: after {@link #connect()} they
 * reconnect on their own, announce the device {@code online} on {@link DeviceChannel#STATUS} after
 * every (re)connection, and arrange that the broker marks it {@code offline} if the connection is
 * lost.
 */
public interface Transport extends AutoCloseable {

    /** Receives messages of one incoming channel. */
    @FunctionalInterface
    interface MessageHandler {
        void onMessage(DeviceChannel channel, byte[] payload);
    }

    /**
     * Connects once and from then on keeps the connection.
     *
     * @throws TransportException if the broker is unreachable or refuses the credentials
     */
    void connect() throws TransportException;

    /**
     * Publishes on an outgoing channel with that channel's QoS and retain flag. Returns once the
     * message is handed to the client (QoS 0) or acknowledged by the broker (QoS 1).
     *
     * @throws IllegalArgumentException if {@code channel} is incoming
     * @throws TransportException if not connected or the broker refuses
     */
    void publish(DeviceChannel channel, byte[] payload) throws TransportException;

    /**
     * Receives the messages of an incoming channel, now and after every reconnection.
     *
     * @throws IllegalArgumentException if {@code channel} is outgoing
     * @throws TransportException if the broker refuses the subscription
     */
    void subscribe(DeviceChannel channel, MessageHandler handler) throws TransportException;

    boolean isConnected();

    /** Announces {@code offline}, disconnects cleanly and releases resources. */
    @Override
    void close();
}
