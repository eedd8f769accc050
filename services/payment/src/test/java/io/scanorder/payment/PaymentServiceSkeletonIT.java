package io.scanorder.payment;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.config.Merchant;
import io.scanorder.payment.config.MerchantSecretFiles;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Boots the payment service with test configuration and checks what Kubernetes will probe. */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class PaymentServiceSkeletonIT {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TestHTTPResource("/q/health/ready")
    URI readiness;

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @Inject Merchant merchant;
    @Inject DataSource dataSource;

    @Test
    void readinessIsUp() throws Exception {
        HttpResponse<String> response = get(readiness, "application/json");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\": \"UP\"");
    }

    @Test
    void metricsServePrometheusText() throws Exception {
        // What a Prometheus server asks for; without it Micrometer answers in OpenMetrics.
        HttpResponse<String> response = get(metrics, "text/plain; version=0.0.4");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
        assertThat(response.body()).contains("# TYPE jvm_memory_used_bytes gauge");
    }

    @Test
    void grpcHealthAnswersServingForTheServerAndPaymentService() throws Exception {
        int grpcPort =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        try {
            HealthGrpc.HealthBlockingStub health =
                    HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
            assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus())
                    .isEqualTo(ServingStatus.SERVING);
            assertThat(
                            health.check(
                                            HealthCheckRequest.newBuilder()
                                                    .setService(PaymentServiceGrpc.SERVICE_NAME)
                                                    .build())
                                    .getStatus())
                    .isEqualTo(ServingStatus.SERVING);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void flywayCreatesThePaymentTables() throws Exception {
        List<String> tables = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
                ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT table_name FROM information_schema.tables"
                                                + " WHERE table_schema = 'public'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        assertThat(tables).contains("payments", "refunds", "notifications");
    }

    @Test
    void merchantSecretsAreLoadedAtStartup() {
        assertThat(merchant.config().mchId()).isEqualTo("1900000109");
        assertThat(merchant.credentials().privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(new String(merchant.credentials().apiV3Key(), StandardCharsets.US_ASCII))
                .isEqualTo(MerchantSecretFiles.API_V3_KEY);
    }

    private static HttpResponse<String> get(URI uri, String accept) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(uri).header("Accept", accept).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
