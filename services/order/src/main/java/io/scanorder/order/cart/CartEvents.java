package io.scanorder.order.cart;

import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.pubsub.PubSubCommands;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.redis.RedisHealth;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Set;
import java.util.UUID;
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
 * <p>Redis does not always tell a subscriber that its connection died, so the replica pings itself
 * on its own channel every {@link CartConfig#subscriptionCheck()}: when three pings in a row do not
 * come back the subscription counts as lost, the streams are told the cart is unavailable, and it
 * is opened again as soon as Redis answers; then every stream gets the current cart, since changes
 * made meanwhile were not heard.
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

    private final RedisDataSource redis;
    private final PubSubCommands<String> pubsub;
    private final RedisHealth health;
    private final TableCarts carts;
    private final CartConfig config;
    private final String pingChannel = CartStore.CHANNEL_PREFIX + "ping:" + UUID.randomUUID();
    private final ConcurrentMap<TableRef, Set<Listener>> listeners = new ConcurrentHashMap<>();
    private final Set<TableRef> pending = ConcurrentHashMap.newKeySet();

    private ScheduledExecutorService scheduler;
    private ExecutorService fanout;
    private volatile PubSubCommands.RedisSubscriber subscriber;
    private volatile long lastPingNanos;
    private volatile boolean lost;

    public CartEvents(
            RedisDataSource redis, RedisHealth health, TableCarts carts, CartConfig config) {
        this.redis = redis;
        // Made here, on the thread that builds the bean: made lazily on the scheduler thread it
        // raced with the rest of start-up.
        this.pubsub = redis.pubsub(String.class);
        this.health = health;
        this.carts = carts;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        scheduler = Executors.newScheduledThreadPool(2, threads("cart-events"));
        fanout = Executors.newFixedThreadPool(2, threads("cart-fanout"));
        long check = config.subscriptionCheck().toMillis();
        scheduler.scheduleWithFixedDelay(
                this::checkSubscription, check, check, TimeUnit.MILLISECONDS);
        long beat = config.heartbeat().toMillis();
        scheduler.scheduleAtFixedRate(this::heartbeats, beat, beat, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
            fanout.shutdownNow();
        }
        PubSubCommands.RedisSubscriber s = subscriber;
        subscriber = null;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException e) {
                LOG.debugf("cart change subscription not closed cleanly: %s", e);
            }
        }
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
        return subscriber != null && !lost;
    }

    private void onMessage(String channel, String message) {
        if (pingChannel.equals(channel)) {
            lastPingNanos = System.nanoTime();
            return;
        }
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
            long silent = System.nanoTime() - lastPingNanos;
            if (subscriber != null
                    && silent
                            > 3
                                    * TimeUnit.MILLISECONDS.toNanos(
                                            config.subscriptionCheck().toMillis())) {
                dropSubscription("no ping came back for " + silent / 1_000_000 + " ms");
            }
            if (subscriber == null) {
                subscriber =
                        pubsub.subscribeToPattern(CartStore.CHANNEL_PREFIX + "*", this::onMessage);
                lastPingNanos = System.nanoTime();
                health.succeeded();
                if (lost) {
                    lost = false;
                    LOG.info("cart change subscription open again; refreshing event streams");
                    listeners.keySet().forEach(t -> fanout.execute(() -> push(t, true)));
                }
            }
            redis.execute("PUBLISH", pingChannel, "ping");
        } catch (RuntimeException e) {
            health.failed("cart change subscription", e);
            dropSubscription(e.toString());
        }
    }

    private void dropSubscription(String why) {
        PubSubCommands.RedisSubscriber s = subscriber;
        subscriber = null;
        if (s != null) {
            try {
                s.unsubscribe();
            } catch (RuntimeException ignored) {
                // The connection is gone already; nothing to release.
            }
        }
        if (!lost) {
            lost = true;
            LOG.warnf(
                    "cart change subscription lost (%s); event streams are told the shared cart"
                            + " is unavailable until Redis answers again",
                    why);
            CartException down = CartException.unavailable(null);
            listeners.values().forEach(set -> set.forEach(l -> l.unavailable(down.getMessage())));
        }
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
