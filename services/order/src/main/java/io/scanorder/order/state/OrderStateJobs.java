package io.scanorder.order.state;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.config.OrderServiceConfig;
import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the payment timeout job and the orders-by-state count on one background thread. Every
 * replica runs them; the conditional moves make that safe. A failed run (database down) is logged
 * and retried at the next tick.
 */
@ApplicationScoped
public class OrderStateJobs {
    private static final Logger LOG = Logger.getLogger(OrderStateJobs.class);

    @Inject PaymentTimeoutCloser closer;
    @Inject OrderMetrics metrics;
    @Inject Transactions transactions;
    @Inject OrderServiceConfig config;

    private ScheduledExecutorService scheduler;

    void onStart(@Observes StartupEvent event) {
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "order-state-jobs");
                            t.setDaemon(true);
                            return t;
                        });
        schedule(config.orderStates().timeoutCheckInterval(), this::closeOverdue);
        schedule(config.orderStates().metricsRefreshInterval(), this::refreshMetrics);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    private void schedule(Duration every, Runnable job) {
        long ms = every.toMillis();
        scheduler.scheduleWithFixedDelay(job, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void closeOverdue() {
        try {
            int closed = closer.closeOverdue(Instant.now());
            if (closed > 0) {
                LOG.infof("closed %d orders whose payment timed out", closed);
            }
        } catch (RuntimeException e) {
            LOG.warnf("payment timeout job failed, retrying next tick: %s", e.getMessage());
        }
    }

    private void refreshMetrics() {
        try {
            metrics.refresh(transactions);
        } catch (RuntimeException e) {
            LOG.warnf("could not count orders by state: %s", e.getMessage());
        }
    }
}
