package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The README's run command, as a test: the platform comes up and answers from outside. */
class LocalPlatformIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalPlatform platform;

    @BeforeAll
    static void startPlatform() throws Exception {
        platform =
                LocalPlatform.start(
                        Path.of(System.getProperty("scanorder.order.jar")),
                        Path.of(System.getProperty("scanorder.payment.jar")),
                        null);
    }

    @AfterAll
    static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void orderServiceAnswersTheStandardGrpcHealthCheckFromAnExternalClient() throws Exception {
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", platform.orderGrpcPort())
                        .usePlaintext()
                        .build();
        try {
            var response =
                    HealthGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(5, TimeUnit.SECONDS)
                            .check(HealthCheckRequest.getDefaultInstance());
            assertThat(response.getStatus()).isEqualTo(ServingStatus.SERVING);
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyPartReportsWhereItListens() {
        assertThat(platform.endpoints())
                .containsKeys(
                        "PostgreSQL",
                        "Redis",
                        "MQTT broker (HiveMQ CE)",
                        "WeChat simulator",
                        "Order service gRPC",
                        "Order service HTTP",
                        "Payment service HTTP");
        assertThat(platform.endpoints().values()).allMatch(where -> where.contains("127.0.0.1"));
    }

    @Test
    void aDinerLogsInWithAMiniProgramCodeIssuedByTheSimulator() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String simulator = platform.endpoints().get("WeChat simulator");
        HttpResponse<String> issued =
                http.send(
                        HttpRequest.newBuilder(URI.create(simulator + "/__sim/login-codes"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"appid\":\""
                                                        + LocalPlatform.DEMO_APP_ID
                                                        + "\",\"openid\":\"o-local-diner\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(issued.statusCode()).isEqualTo(200);
        String code = JSON.readTree(issued.body()).get("code").asText();

        HttpResponse<String> session =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                "http://127.0.0.1:"
                                                        + platform.orderHttpPort()
                                                        + "/api/v1/sessions"))
                                .header("Content-Type", "application/json")
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"code\":\"" + code + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(session.statusCode()).as(session.body()).isEqualTo(201);
        assertThat(JSON.readTree(session.body()).get("openid").asText()).isEqualTo("o-local-diner");
    }

    @Test
    void bothServicesExposePrometheusMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (int port : new int[] {platform.orderHttpPort(), platform.paymentHttpPort()}) {
            HttpResponse<String> metrics =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                                    .header("Accept", "text/plain")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("# TYPE jvm_memory_used_bytes gauge");
        }
    }
}
