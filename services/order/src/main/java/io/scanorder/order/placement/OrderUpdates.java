package io.scanorder.order.placement;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.redis.RedisHealth;
import io.scanorder.order.state.MoveResult;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Live order updates for diners. After a transition commits ({@code OrderTransitions.afterCommit}
 * fires the {@link MoveResult}), the order id is published on the Redis channel {@value #CHANNEL};
 * every replica subscribes and re-reads the order for the streams it serves, so a diner connected
 * to any replica sees the change. The subscription proves itself with a heartbeat this replica
 * publishes every second and must receive back; while it is not proven (Redis down, subscription
 * lost) every watched order is read from the database every {@code poll-interval} instead, and the
 * subscription is re-established.
 */
@ApplicationScoped
public class OrderUpdates {
    /** Redis pub/sub channel carrying ids of changed orders. */
    public static final String CHANNEL = "scanorder:order-updates";

    private static final Logger LOG = Logger.getLogger(OrderUpdates.class);
    private static final String PING = "ping:";
    private static final long HEARTBEAT_NANOS = Duration.ofSeconds(1).toNanos();
    private static final long LIVE_NANOS = Duration.ofMillis(2500).toNanos();

    private final RedisDataSource redis;
    private final RedisHealth health;
    private final DinerOrderReads reads;
    private final Duration pollInterval;
    private final String replica = UUID.randomUUID().toString();
    private final Map<UUID, Set<Watcher>> watchers = new ConcurrentHashMap<>();

    private ScheduledExecutorService ticker;
    private ExecutorService readers;
    private volatile PubSubCommands.RedisSubscriber subscriber;
    private volatile long subscribedAt;
    private volatile long lastHeartbeatSeen;
    private volatile long lastHeartbeatSent;

    public OrderUpdates(
            RedisDataSource redis,
            RedisHealth health,
            DinerOrderReads reads,
            PlacementConfig config) {
        this.redis = redis;
        this.health = health;
        this.reads = reads;
        this.pollInterval = config.updates().pollInterval();
    }

    void onStart(@Observes StartupEvent event) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "order-updates-ticker"));
        readers = Executors.newFixedThreadPool(2, r -> daemon(r, "order-updates-reader"));
        long ms = pollInterval.toMillis();
        ticker.scheduleWithFixedDelay(this::tick, 0, ms, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (ticker != null) {
            ticker.shutdownNow();
            readers.shutdownNow();
        }
        unsubscribe();
    }

    /** Publishes a committed transition to every replica. */
    void onCommitted(@ObservesAsync MoveResult move) {
        try {
            redis.pubsub(String.class).publish(CHANNEL, move.orderId().toString());
            health.succeeded();
        } catch (RuntimeException e) {
            // The streams of every replica poll the database while Redis is down.
            health.failed("PUBLISH order update", e);
        }
    }

    /**
     * A stream of the order's status: {@code initial} first, then every newer status. Ends when the
     * subscriber cancels (the diner disconnects).
     */
    public Multi<OrderStatus> stream(OrderStatus initial) {
        return Multi.createFrom()
                .emitter(
                        emitter -> {
                            Watcher w = new Watcher(emitter, initial.version());
                            emitter.emit(initial);
                            watchers.computeIfAbsent(
                                            initial.orderId(), k -> ConcurrentHashMap.newKeySet())
                                    .add(w);
                            emitter.onTermination(() -> forget(initial.orderId(), w));
                            // A change committed between the initial read and registering.
                            readers.execute(() -> check(initial.orderId()));
                        });
    }

    /** True while the Redis subscription is proven by this replica's own heartbeat. */
    public boolean live() {
        return subscriber != null
                && !health.degraded()
                && System.nanoTime() - lastHeartbeatSeen < LIVE_NANOS;
    }

    private void tick() {
        try {
            long now = System.nanoTime();
            if (now - lastHeartbeatSent >= HEARTBEAT_NANOS) {
                lastHeartbeatSent = now;
                heartbeat();
            }
            if (!live()) {
                resubscribeIfStale(now);
                watchers.keySet().forEach(id -> readers.execute(() -> check(id)));
            }
        } catch (RuntimeException e) {
            LOG.debugf("order updates tick failed: %s", e.toString());
        }
    }

    private void heartbeat() {
        try {
            redis.pubsub(String.class).publish(CHANNEL, PING + replica);
            health.succeeded();
        } catch (RuntimeException e) {
            health.failed("PUBLISH order-updates heartbeat", e);
        }
    }

    private void resubscribeIfStale(long now) {
        boolean proven = now - lastHeartbeatSeen < LIVE_NANOS;
        boolean young = subscriber != null && now - subscribedAt < LIVE_NANOS;
        if (proven || young || health.degraded()) {
            return;
        }
        unsubscribe();
        try {
            subscribedAt = now;
            subscriber =
                    redis.pubsub(String.class)
                            .subscribe(
                                    CHANNEL,
                                    this::onMessage,
                                    // A lost subscription shows as missing heartbeats; the next
                                    // tick replaces it, so the callbacks only log.
                                    () -> LOG.debug("order-updates subscription ended"),
                                    e -> LOG.debugf("order-updates subscription failed: %s", e));
            LOG.debug("subscribed to order updates");
        } catch (RuntimeException e) {
            subscriber = null;
            health.failed("SUBSCRIBE order updates", e);
        }
    }

    private void unsubscribe() {
        PubSubCommands.RedisSubscriber s = subscriber;
        subscriber = null;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                LOG.debugf("dropping the old order-updates subscription failed: %s", e.toString());
            }
        }
    }

    private void onMessage(String message) {
        if (message.startsWith(PING)) {
            if (message.endsWith(replica)) {
                lastHeartbeatSeen = System.nanoTime();
            }
            return;
        }
        UUID id;
        try {
            id = UUID.fromString(message);
        } catch (IllegalArgumentException e) {
            LOG.debugf("ignoring malformed order update '%s'", message);
            return;
        }
        if (watchers.containsKey(id)) {
            readers.execute(() -> check(id));
        }
    }

    /** Reads the order once and hands the status to its watchers. */
    private void check(UUID id) {
        Set<Watcher> set = watchers.get(id);
        if (set == null || set.isEmpty()) {
            return;
        }
        OrderStatus status;
        try {
            status = reads.status(id);
        } catch (RuntimeException e) {
            LOG.debugf("could not read order %s for its watchers: %s", id, e.toString());
            return;
        }
        set.forEach(w -> w.offer(status));
    }

    private void forget(UUID id, Watcher w) {
        watchers.computeIfPresent(
                id,
                (k, set) -> {
                    set.remove(w);
                    return set.isEmpty() ? null : set;
                });
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** One open stream: emits only statuses newer than the last one it sent. */
    private static final class Watcher {
        private final MultiEmitter<? super OrderStatus> emitter;
        private long lastVersion;

        Watcher(MultiEmitter<? super OrderStatus> emitter, long version) {
            this.emitter = emitter;
            this.lastVersion = version;
        }

        synchronized void offer(OrderStatus status) {
            if (status.version() > lastVersion && !emitter.isCancelled()) {
                lastVersion = status.version();
                emitter.emit(status);
            }
        }
    }
}
