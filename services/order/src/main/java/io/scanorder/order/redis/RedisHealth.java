package io.scanorder.order.redis;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Whether Redis is usable, as seen by the last Redis call. Code that uses Redis reports each
 * outcome here and falls back (database, no ranking, ...) while it is degraded. Exported as the
 * gauge {@code scanorder_redis_degraded} (1 = degraded, 0 = healthy) for the RedisDegraded alert.
 */
@Startup
@ApplicationScoped
public class RedisHealth {
    private static final Logger LOG = Logger.getLogger(RedisHealth.class);

    private final AtomicBoolean degraded = new AtomicBoolean();
    private final MeterRegistry registry;
    private final Gauge gauge;

    public RedisHealth(MeterRegistry registry) {
        this.registry = registry;
        this.gauge =
                Gauge.builder("scanorder.redis.degraded", degraded, d -> d.get() ? 1 : 0)
                        .description(
                                "1 while Redis cannot be reached and the service runs degraded")
                        .strongReference(true)
                        .register(registry);
    }

    /**
     * Removes the gauge: the global registry outlives one application (tests restart it), and a
     * gauge left behind would keep reporting this instance's flag instead of the next one's.
     */
    @PreDestroy
    void unregister() {
        registry.remove(gauge);
    }

    /** Records a failed Redis call; logs once when the service turns degraded. */
    public void failed(String operation, Throwable cause) {
        if (degraded.compareAndSet(false, true)) {
            LOG.warnf(
                    "Redis unavailable (%s failed: %s); running degraded on the database",
                    operation, cause.toString());
        }
    }

    /** Records a successful Redis call; logs once when the service recovers. */
    public void succeeded() {
        if (degraded.compareAndSet(true, false)) {
            LOG.info("Redis reachable again; leaving degraded mode");
        }
    }

    /** True while the last Redis call failed. */
    public boolean degraded() {
        return degraded.get();
    }
}
