package io.scanorder.order;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.db.Transactions;
import io.scanorder.testkit.EmbeddedPostgres;
import jakarta.inject.Inject;
import java.net.URL;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OrderServiceSkeletonIT {

    @Inject DataSource dataSource;
    @Inject RedisDataSource redis;
    @Inject Transactions transactions;

    @TestHTTPResource("/")
    URL root;

    private ManagedChannel channel;

    @BeforeEach
    void openChannel() {
        int grpcPort =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress(root.getHost(), grpcPort).usePlaintext().build();
    }

    @AfterEach
    void closeChannel() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void flywayCreatesTheOrderTables() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery(
                                "SELECT table_name FROM information_schema.tables"
                                        + " WHERE table_schema = 'public'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables)
                .contains(
                        "stores",
                        "dining_tables",
                        "menu_revisions",
                        "orders",
                        "order_lines",
                        "order_events",
                        "refunds",
                        "kitchen_tickets",
                        "outbox",
                        "flyway_schema_history");
    }

    @Test
    @Order(2)
    void grpcHealthServiceReportsServing() {
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(grpcHealth()).isEqualTo(ServingStatus.SERVING));
    }

    @Test
    @Order(3)
    void metricsArePublishedInPrometheusFormat() {
        transactions.inTransaction("metrics-probe", c -> c.isValid(1));
        // Prometheus scrapes with this Accept header (text exposition format 0.0.4).
        given().accept("text/plain; version=0.0.4")
                .when()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .contentType(containsString("text/plain"))
                .body(containsString("# TYPE jvm_threads_live_threads gauge"))
                .body(containsString("scanorder_db_transaction_retries_total"));
    }

    @Test
    @Order(4)
    void readinessIsUpWithTheDatabaseCheck() {
        given().when()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database connections health check")));
    }

    @Test
    @Order(5)
    void redisClientReachesTheEmbeddedServer() {
        redis.value(String.class).set("scanorder:test:ping", "pong");
        assertThat(redis.value(String.class).get("scanorder:test:ping")).isEqualTo("pong");
    }

    @Test
    @Order(100)
    void databaseOutageTurnsGrpcHealthNotServingUntilItReturns() {
        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        pg.stop();
        try {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(
                            () -> assertThat(grpcHealth()).isEqualTo(ServingStatus.NOT_SERVING));
            given().when().get("/q/health/ready").then().statusCode(503);
        } finally {
            pg.start();
        }
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(grpcHealth()).isEqualTo(ServingStatus.SERVING));
    }

    private ServingStatus grpcHealth() {
        return HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.newBuilder().setService("").build())
                .getStatus();
    }
}
