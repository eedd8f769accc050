package io.scanorder.order.redis;

import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.RedisConnection;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * A Redis pub/sub subscription that proves it still works. Redis does not always tell a subscriber
 * that its connection died, so on every {@link #check()} the replica publishes a ping on a channel
 * of its own, which the subscription includes; when no ping has come back for three check intervals
 * the subscription counts as lost, the owner is told, and a new one is opened as soon as Redis
 * answers.
 *
 * <p>Nothing here waits for Redis: connecting, subscribing, pinging and dropping a dead
 * subscription are asynchronous, and an attempt that has not subscribed within the timeout is
 * abandoned (its connection closed whenever it answers), so the owner's scheduler (which also polls
 * the database while Redis is away) keeps its pace however Redis fails.
 *
 * <p>It drives its own connection of the low-level Vert.x client rather than the data source's
 * pub/sub API, which installs its message handler only after PSUBSCRIBE returns: when Redis
 * confirms first, that subscription never completes and its connection stays open for good.
 * Messages reach the owner on a Vert.x event-loop thread; the owner moves blocking work elsewhere.
 */
public final class ProvenSubscription {
    private static final Logger LOG = Logger.getLogger(ProvenSubscription.class);

    /** What the owner of a subscription hears. */
    public interface Listener {
        /** A message on one of the subscribed channels (never a ping). Must not block. */
        void message(String channel, String message);

        /** The subscription stopped working; changes published meanwhile are not heard. */
        default void lost(String why) {}

        /** A subscription is open again after {@link #lost}. */
        default void regained() {}
    }

    private final Redis client;
    private final RedisHealth health;
    private final String name;
    private final List<String> patterns;
    private final String pingChannel;
    private final long silenceNanos;
    private final long timeoutNanos;
    private final Duration timeout;
    private final Listener listener;

    private volatile Attempt attempt;
    private volatile Attempt subscribed;
    private volatile long lastPingNanos;
    private volatile boolean proven;
    private volatile boolean lost;
    private volatile boolean closed;

    /**
     * @param name what the subscription carries, for logs ("order updates")
     * @param patterns channel patterns to follow (a name without glob characters is one channel)
     * @param checkInterval how often the owner calls {@link #check()}
     * @param timeout how long one Redis call may take before it counts as failed
     */
    public ProvenSubscription(
            Redis client,
            RedisHealth health,
            String name,
            List<String> patterns,
            Duration checkInterval,
            Duration timeout,
            Listener listener) {
        this.client = client;
        this.health = health;
        this.name = name;
        this.pingChannel = "scanorder:subscription-ping:" + UUID.randomUUID();
        List<String> all = new ArrayList<>(patterns);
        all.add(pingChannel);
        this.patterns = List.copyOf(all);
        this.silenceNanos = 3 * checkInterval.toNanos();
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        this.listener = listener;
    }

    /**
     * True while a subscription is open, one of its pings has come back, and the last one came back
     * within three check intervals.
     */
    public boolean live() {
        return subscribed != null
                && proven
                && !lost
                && System.nanoTime() - lastPingNanos < silenceNanos;
    }

    /**
     * Drops a subscription whose pings stopped coming back, opens one when there is none, and sends
     * the next ping. Returns at once.
     */
    public void check() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        Attempt current = subscribed;
        if (current != null && now - lastPingNanos > silenceNanos) {
            subscribed = null;
            current.close();
            markLost("no ping came back for " + (now - lastPingNanos) / 1_000_000 + " ms");
        }
        if (subscribed != null) {
            ping();
            return;
        }
        Attempt pending = attempt;
        if (pending != null && now - pending.startedNanos < timeoutNanos) {
            return;
        }
        if (pending != null) {
            pending.fail(
                    "SUBSCRIBE",
                    new TimeoutException("no subscription within " + timeout.toMillis() + " ms"));
        }
        Attempt next = new Attempt(now);
        attempt = next;
        next.start();
    }

    /** Closes the subscription; later checks do nothing. */
    public void close() {
        closed = true;
        Attempt s = subscribed;
        subscribed = null;
        if (s != null) {
            s.close();
        }
        Attempt a = attempt;
        if (a != null) {
            a.close();
        }
    }

    private void ping() {
        client.send(Request.cmd(Command.PUBLISH).arg(pingChannel).arg("ping"))
                .ifNoItem()
                .after(timeout)
                .fail()
                .subscribe()
                .with(ok -> health.succeeded(), e -> health.failed("PUBLISH " + name + " ping", e));
    }

    private void markLost(String why) {
        if (!lost) {
            lost = true;
            LOG.warnf(
                    "%s subscription lost (%s); falling back until Redis answers again", name, why);
            listener.lost(why);
        }
    }

    /**
     * One connection subscribing. Anything that answers after the attempt was abandoned or replaced
     * closes the connection instead of acting on it.
     */
    private final class Attempt {
        final long startedNanos;
        final AtomicInteger confirmations = new AtomicInteger();
        final AtomicBoolean released = new AtomicBoolean();
        volatile RedisConnection connection;

        Attempt(long startedNanos) {
            this.startedNanos = startedNanos;
        }

        boolean current() {
            return !ProvenSubscription.this.closed && (attempt == this || subscribed == this);
        }

        void start() {
            client.connect()
                    .subscribe()
                    .with(this::connected, e -> fail("connect for SUBSCRIBE", e));
        }

        void connected(RedisConnection conn) {
            connection = conn;
            if (!current()) {
                close();
                return;
            }
            // The handler is in place before PSUBSCRIBE goes out, so no confirmation is missed.
            conn.handler(this::onResponse);
            // A connection that ends (Redis stopped, network cut) loses the subscription at once;
            // one that hangs shows as missing pings.
            conn.endHandler(() -> ended("its connection closed"));
            conn.exceptionHandler(e -> ended("its connection failed: " + e));
            Request psubscribe = Request.cmd(Command.PSUBSCRIBE);
            patterns.forEach(psubscribe::arg);
            conn.send(psubscribe).subscribe().with(ok -> {}, e -> fail("PSUBSCRIBE", e));
        }

        void ended(String why) {
            if (subscribed == this) {
                subscribed = null;
                close();
                markLost(why);
            } else if (attempt == this) {
                fail("SUBSCRIBE", new IllegalStateException(why));
            }
        }

        void onResponse(Response r) {
            if (!current()) {
                close();
                return;
            }
            if (r == null || r.size() == 0) {
                return;
            }
            String kind = r.get(0).toString();
            if ("psubscribe".equalsIgnoreCase(kind)) {
                if (confirmations.incrementAndGet() == patterns.size()) {
                    opened();
                }
            } else if ("pmessage".equalsIgnoreCase(kind) && r.size() >= 4) {
                String channel = r.get(2).toString();
                if (pingChannel.equals(channel)) {
                    lastPingNanos = System.nanoTime();
                    if (subscribed == this && !proven) {
                        proven = true;
                        if (lost) {
                            lost = false;
                            LOG.infof("%s subscription open again", name);
                            listener.regained();
                        }
                    }
                } else {
                    listener.message(channel, r.get(3).toString());
                }
            }
        }

        void opened() {
            if (attempt != this) {
                close();
                return;
            }
            // Not dropped before its first ping had the time to come back; live once it has.
            lastPingNanos = System.nanoTime();
            proven = false;
            subscribed = this;
            attempt = null;
            health.succeeded();
            LOG.debugf("subscribed to %s", name);
            ping();
        }

        void fail(String operation, Throwable e) {
            boolean wasCurrent = attempt == this;
            close();
            if (wasCurrent) {
                attempt = null;
                health.failed(operation + " " + name, e);
                markLost(operation + " failed: " + e);
            }
        }

        void close() {
            if (attempt == this) {
                attempt = null;
            }
            RedisConnection conn = connection;
            if (conn != null && released.compareAndSet(false, true)) {
                conn.close()
                        .subscribe()
                        .with(
                                ok -> {},
                                // The connection is gone already; nothing to release.
                                e -> LOG.debugf("%s connection not closed cleanly: %s", name, e));
            }
        }
    }
}
