package io.scanorder.order.cart;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.redis.ProvenSubscription;
import io.scanorder.order.redis.RedisHealth;
import io.vertx.mutiny.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * Pushes cart changes to the event streams open on this replica. Every change script publishes the
 * new version on the table's Redis channel; each replica holds one pattern subscription to all of
 * them and, for tables with local streams, reads the cart once and sends it to each stream.
 *
 * <p>The subscription proves itself with pings ({@link ProvenSubscription}, checked every {@link
 * CartConfig#subscriptionCheck()}): when it is lost the streams are told the cart is unavailable,
 * and when it is open again every stream gets the current cart, since changes made meanwhile were
 * not heard. Nothing here waits on Redis, so a hanging Redis delays no stream's heartbeat.
 */
@ApplicationScoped
public class CartEvents {
    private static final Logger LOG = Logger.getLogger(CartEvents.class);

    /** One open event stream. */
    interface Listener {
        /** The table it follows. */
        TableRef table();

        /** Sends the cart unless it is older than the last one sent; {@code force} always sends. */
        void cart(TableCarts.Priced cart, boolean force);

        /** Tells the diner the cart cannot be reached right now. */
        void unavailable(String message);

        /** Sends a comment line so proxies keep the idle stream open. */
        void heartbeat();
    }

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private final TableCarts carts;
    private final CartConfig config;
    private final ProvenSubscription subscription;
    private final ConcurrentMap<TableRef, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final Set<TableRef> pending = ConcurrentHashMap.newKeySet();

    private ScheduledExecutorService scheduler;
    private ExecutorService fanout;

    public CartEvents(Redis redis, RedisHealth health, TableCarts carts, CartConfig config) {
        this.carts = carts;
        this.config = config;
        this.subscription =
                new ProvenSubscription(
                        redis,
                        health,
                        "cart change",
                        List.of(CartStore.CHANNEL_PREFIX + "*"),
                        config.subscriptionCheck(),
                        REDIS_TIMEOUT,
                        new ProvenSubscription.Listener() {
                            @Override
                            public void message(String channel, String message) {
                                onMessage(channel);
                            }

                            @Override
                            public void lost(String why) {
                                fanout.execute(CartEvents.this::tellUnavailable);
                            }

                            @Override
                            public void regained() {
                                // Changes made meanwhile were not heard: every stream gets the
                                // current cart.
                                listeners
                                        .keySet()
                                        .forEach(t -> fanout.execute(() -> push(t, true)));
                            }
                        });
    }

    void start(@Observes StartupEvent event) {
        scheduler = Executors.newScheduledThreadPool(2, threads("cart-events"));
        fanout = Executors.newFixedThreadPool(2, threads("cart-fanout"));
        long check = config.subscriptionCheck().toMillis();
        scheduler.scheduleWithFixedDelay(this::checkSubscription, 0, check, TimeUnit.MILLISECONDS);
        long beat = config.heartbeat().toMillis();
        scheduler.scheduleAtFixedRate(this::heartbeats, beat, beat, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            fanout.shutdownNow();
        }
        subscription.close();
    }

    /** Starts sending changes of the listener's table to it. */
    void register(Listener listener) {
        listeners
                .computeIfAbsent(listener.table(), t -> ConcurrentHashMap.newKeySet())
                .add(listener);
    }

    /** Stops sending to the listener; called when its stream closes. */
    void unregister(Listener listener) {
        listeners.computeIfPresent(
                listener.table(),
                (t, set) -> {
                    set.remove(listener);
                    return set.isEmpty() ? null : set;
                });
    }

    /** Streams open on this replica for a table. */
    public int listenerCount(TableRef table) {
        Set<Listener> set = listeners.get(table);
        return set == null ? 0 : set.size();
    }

    /** True while this replica hears cart changes from Redis. */
    public boolean subscribed() {
        return subscription.live();
    }

    private void onMessage(String channel) {
        TableRef table = CartStore.tableOfChannel(channel);
        // Several changes in a burst become one read: the cart read is the newest anyway.
        if (table != null && listeners.containsKey(table) && pending.add(table)) {
            fanout.execute(
                    () -> {
                        pending.remove(table);
                        push(table, false);
                    });
        }
    }

    private void push(TableRef table, boolean force) {
        Set<Listener> set = listeners.get(table);
        if (set == null || set.isEmpty()) {
            return;
        }
        TableCarts.Priced cart;
        try {
            cart = carts.read(table);
        } catch (CartException e) {
            set.forEach(l -> l.unavailable(e.getMessage()));
            return;
        } catch (RuntimeException e) {
            LOG.warnf(e, "cart of %s could not be read for its event streams", table);
            return;
        }
        set.forEach(l -> l.cart(cart, force));
    }

    private void checkSubscription() {
        try {
            subscription.check();
        } catch (RuntimeException e) {
            LOG.debugf("cart change subscription check failed: %s", e.toString());
        }
    }

    private void tellUnavailable() {
        String message = CartException.unavailable(null).getMessage();
        listeners.values().forEach(set -> set.forEach(l -> l.unavailable(message)));
    }

    private void heartbeats() {
        listeners.values().forEach(set -> set.forEach(Listener::heartbeat));
    }

    private static ThreadFactory threads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
