package io.scanorder.order.health;

import io.quarkus.grpc.GrpcService;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.config.OrderServiceConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Probes the database periodically and sets the standard gRPC health status (grpc.health.v1,
 * overall service "") to NOT_SERVING while it is unreachable, so gRPC clients and load balancers
 * that use health checks stop sending work that cannot succeed.
 */
@ApplicationScoped
public class DatabaseHealthWatcher {
    private static final Logger LOG = Logger.getLogger(DatabaseHealthWatcher.class);
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final DataSource dataSource;
    private final GrpcHealthService grpcHealth;
    private final OrderServiceConfig config;
    private ScheduledExecutorService executor;
    private volatile Boolean lastUp;

    DatabaseHealthWatcher(
            DataSource dataSource,
            @GrpcService GrpcHealthService grpcHealth,
            OrderServiceConfig config) {
        this.dataSource = dataSource;
        this.grpcHealth = grpcHealth;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        executor =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "database-health-watcher");
                            t.setDaemon(true);
                            return t;
                        });
        long interval = config.health().databaseCheckInterval().toMillis();
        executor.scheduleWithFixedDelay(this::check, 0, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Whether the last probe reached the database; null before the first probe. */
    public Boolean databaseReachable() {
        return lastUp;
    }

    void check() {
        boolean up;
        String problem = null;
        // A real query rather than isValid(): a broken pooled connection then fails with an
        // SQLException that makes the pool discard it, so recovery is noticed on the next probe.
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            st.setQueryTimeout(VALIDATION_TIMEOUT_SECONDS);
            st.execute("SELECT 1");
            up = true;
        } catch (SQLException | RuntimeException e) {
            up = false;
            problem = e.getMessage();
        }
        grpcHealth.setServing(up);
        if (lastUp == null || lastUp != up) {
            if (up) {
                LOG.info("database reachable: gRPC health is SERVING");
            } else {
                LOG.warnf("database unreachable (%s): gRPC health is NOT_SERVING", problem);
            }
        }
        lastUp = up;
    }
}
