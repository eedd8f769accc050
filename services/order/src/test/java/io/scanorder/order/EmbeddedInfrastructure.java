package io.scanorder.order;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scanorder.testkit.EmbeddedPostgres;
import io.scanorder.testkit.EmbeddedRedis;
import io.scanorder.testkit.FreePorts;
import java.util.Map;

/**
 * Points the service at the testkit's embedded PostgreSQL and Redis. Both are shared by the test
 * JVM and closed by their shutdown hooks, so {@link #stop()} leaves them running.
 */
public class EmbeddedInfrastructure implements QuarkusTestResourceLifecycleManager {
    static final String DATABASE = "scanorder_order";

    @Override
    public Map<String, String> start() {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        pg.createDatabase(DATABASE);
        EmbeddedRedis redis = EmbeddedRedis.shared();
        return Map.of(
                "quarkus.datasource.jdbc.url", pg.jdbcUrl(DATABASE),
                "quarkus.datasource.username", pg.user(),
                "quarkus.datasource.password", pg.password(),
                "quarkus.redis.hosts", redis.uri(),
                // A known free port, so tests can dial the separate gRPC server.
                "quarkus.grpc.server.test-port", Integer.toString(FreePorts.loopback()));
    }

    @Override
    public void stop() {
        // Shared components outlive one Quarkus application; see the class comment.
    }
}
