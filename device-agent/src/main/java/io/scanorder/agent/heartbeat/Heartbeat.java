package io.scanorder.agent.heartbeat;

import io.scanorder.agent.heartbeat.HeartbeatCodec.HeartbeatMessage;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.Transport;
import io.scanorder.agent.transport.TransportException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Publishes a heartbeat every interval while the transport is connected. Heartbeats are QoS 0 and
 * not queued while offline: a late heartbeat says nothing about now.
 */
public final class Heartbeat implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Heartbeat.class.getName());

    private final Transport transport;
    private final HeartbeatCodec codec;
    private final Supplier<DeviceHealth> health;
    private Duration interval;
    private ScheduledFuture<?> schedule;
    private volatile Supplier<String> configRevision = () -> "";
    private final String deviceId;
    private final String agentVersion;
    private final Clock clock;
    private final AtomicLong seq = new AtomicLong();
    private final ScheduledExecutorService scheduler =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "scanorder-heartbeat");
                        t.setDaemon(true);
                        return t;
                    });

    public Heartbeat(
            Transport transport,
            Supplier<DeviceHealth> health,
            Duration interval,
            String deviceId,
            String agentVersion,
            Clock clock) {
        this.transport = transport;
        this.codec = new HeartbeatCodec();
        this.health = health;
        this.interval = interval;
        this.deviceId = deviceId;
        this.agentVersion = agentVersion;
        this.clock = clock;
    }

    public synchronized void start() {
        schedule =
                scheduler.scheduleAtFixedRate(
                        this::beatOnce, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Changes the interval (a pushed config). Once started, the next heartbeat goes out at once,
     * carrying the config revision the agent now runs with, and the next ones every {@code next}.
     */
    public synchronized void interval(Duration next) {
        if (next.isNegative() || next.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive: " + next);
        }
        interval = next;
        if (schedule != null) {
            schedule.cancel(false);
            schedule =
                    scheduler.scheduleAtFixedRate(
                            this::beatOnce, 0, next.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The interval in force. */
    public synchronized Duration interval() {
        return interval;
    }

    /** Where heartbeats read the revision of the pushed config in force ("" for none). */
    public void configRevision(Supplier<String> revision) {
        this.configRevision = revision;
    }

    /** Sends one heartbeat now if connected; returns whether it was sent. */
    boolean beatOnce() {
        if (!transport.isConnected()) {
            return false;
        }
        try {
            HeartbeatMessage message =
                    new HeartbeatMessage(
                            deviceId,
                            seq.incrementAndGet(),
                            clock.instant(),
                            health.get(),
                            agentVersion,
                            configRevision.get());
            transport.publish(DeviceChannel.HEARTBEAT, codec.encode(message));
            return true;
        } catch (TransportException e) {
            LOG.log(Level.WARNING, "heartbeat not sent: " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            // an exception would cancel the schedule for good
            LOG.log(Level.ERROR, "heartbeat failed", e);
            return false;
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
