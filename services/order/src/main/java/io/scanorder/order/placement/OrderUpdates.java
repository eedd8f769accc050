package io.scanorder.order.placement;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.quarkus.redis.datasource.pubsub.ReactivePubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.redis.ProvenSubscription;
import io.scanorder.order.redis.RedisHealth;
import io.scanorder.order.state.MoveResult;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import java.time.Duration;
import java.util.List;
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
 * to any replica sees the change. The subscription proves itself with pings ({@link
 * ProvenSubscription}); while it is not proven (Redis down, subscription lost) every watched order
 * is read from the database every {@code poll-interval} instead. No Redis call blocks that polling:
 * a Redis that hangs instead of refusing costs the diners half a second, not the Redis client's
 * timeout.
 */
@ApplicationScoped
public class OrderUpdates {
    /** Redis pub/sub channel carrying ids of changed orders. */
    public static final String CHANNEL = "scanorder:order-updates";

    private static final Logger LOG = Logger.getLogger(OrderUpdates.class);
    private static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private final ReactivePubSubCommands<String> pubsub;
    private final RedisHealth health;
    private final DinerOrderReads reads;
    private final Duration pollInterval;
    private final ProvenSubscription subscription;
    private final Map<UUID, Set<Watcher>> watchers = new ConcurrentHashMap<>();

    private ScheduledExecutorService ticker;
    private ExecutorService readers;

    public OrderUpdates(
            ReactiveRedisDataSource redis,
            Redis client,
            RedisHealth health,
            DinerOrderReads reads,
            PlacementConfig config) {
        this.pubsub = redis.pubsub(String.class);
        this.health = health;
        this.reads = reads;
        this.pollInterval = config.updates().pollInterval();
        this.subscription =
                new ProvenSubscription(
                        client,
                        health,
                        "order updates",
                        List.of(CHANNEL),
                        PING_INTERVAL,
                        REDIS_TIMEOUT,
                        new ProvenSubscription.Listener() {
                            @Override
                            public void message(String channel, String message) {
                                onMessage(message);
                            }

                            @Override
                            public void regained() {
                                // Changes published while no subscription listened were not
                                // heard: every watched order is read once.
                                checkAll();
                            }
                        });
    }

    void onStart(@Observes StartupEvent event) {
        ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "order-updates-ticker"));
        readers = Executors.newFixedThreadPool(2, r -> daemon(r, "order-updates-reader"));
        long ping = PING_INTERVAL.toMillis();
        ticker.scheduleWithFixedDelay(this::checkSubscription, 0, ping, TimeUnit.MILLISECONDS);
        long poll = pollInterval.toMillis();
        ticker.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (ticker != null) {
            ticker.shutdownNow();
            readers.shutdownNow();
        }
        subscription.close();
    }

    /** Publishes a committed transition to every replica; returns at once. */
    void onCommitted(@ObservesAsync MoveResult move) {
        pubsub.publish(CHANNEL, move.orderId().toString())
                .ifNoItem()
                .after(REDIS_TIMEOUT)
                .fail()
                .subscribe()
                .with(
                        ok -> health.succeeded(),
                        // The streams of every replica poll the database while Redis is down.
                        e -> health.failed("PUBLISH order update", e));
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

    /** True while the Redis subscription is proven by this replica's own pings. */
    public boolean live() {
        return subscription.live() && !health.degraded();
    }

    private void checkSubscription() {
        try {
            subscription.check();
        } catch (RuntimeException e) {
            LOG.debugf("order updates subscription check failed: %s", e.toString());
        }
    }

    private void poll() {
        try {
            if (!live()) {
                checkAll();
            }
        } catch (RuntimeException e) {
            LOG.debugf("order updates poll failed: %s", e.toString());
        }
    }

    private void checkAll() {
        watchers.keySet().forEach(id -> readers.execute(() -> check(id)));
    }

    private void onMessage(String message) {
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
