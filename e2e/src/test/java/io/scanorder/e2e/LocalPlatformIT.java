package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.scanorder.crds.v1alpha1.MenuItem;
import io.scanorder.operator.MenuPublisher;
import io.scanorder.operator.StorePublisher;
import io.scanorder.operator.model.MenuContent;
import io.scanorder.operator.model.StoreDefinitions;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.ListDeviceHealthRequest;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The README's run command, as a test: the platform comes up with the example store's kitchen side
 * and answers from outside, on the run's shared platform.
 */
@ExtendWith(SharedPlatform.class)
class LocalPlatformIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static LocalPlatform platform;

    /**
     * The run's shared platform (see {@link SharedPlatform}): it is stopped after the last class.
     */
    @BeforeAll
    static void startPlatform(LocalPlatform shared) {
        platform = shared;
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

    @Test
    void theExampleMenuIsPublishedAndListedByTheDinerMenuEndpoint() throws Exception {
        HttpResponse<String> menu =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        platform.dinerApiBaseUrl()
                                                                + "/stores/"
                                                                + platform.examples().storeCode()
                                                                + "/menu"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());

        assertThat(menu.statusCode()).as(menu.body()).isEqualTo(200);
        List<String> spuCodes =
                platform.examples().menu().getSpec().getItems().stream()
                        .map(MenuItem::getSpuCode)
                        .toList();
        assertThat(spuCodes).hasSize(31);
        JsonNode body = JSON.readTree(menu.body());
        List<String> listed = body.findValuesAsText("spuCode");
        assertThat(listed).containsExactlyInAnyOrderElementsOf(spuCodes);
    }

    @Test
    void applyingTheSameStoreAndMenuAgainByTheOperatorsPathChangesNothing() {
        // The operator compares by the hashes the real service reports: a repeat only reads.
        StorePublisher.Outcome store =
                KitchenSide.applyStore(platform.examples(), platform.orderGrpcPort());
        assertThat(store.applied()).isFalse();
        assertThat(store.enabledTables()).isEqualTo(28);
        assertThat(store.contentHash())
                .isEqualTo(
                        StoreDefinitions.contentHash(
                                StoreDefinitions.toProto(platform.examples().store())));

        MenuPublisher.Outcome menu =
                KitchenSide.publishMenu(platform.examples(), platform.orderGrpcPort());
        assertThat(menu.published()).isFalse();
        assertThat(menu.revisionHash())
                .isEqualTo(
                        MenuContent.revisionHash(
                                MenuContent.toProto(platform.examples().menu().getSpec())));
    }

    @Test
    void theStoresQrSheetIsWrittenAsAPdf() throws Exception {
        Path sheet = platform.qrSheet();
        assertThat(sheet).isRegularFile();
        byte[] pdf = Files.readAllBytes(sheet);
        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(pdf.length).isGreaterThan(10_000);
    }

    @Test
    void everyExampleDeviceAgentIsConnectedToTheBroker() throws Exception {
        String storeCode = platform.examples().storeCode();
        List<String> deviceIds =
                platform.examples().devices().stream().map(d -> d.getMetadata().getName()).toList();
        assertThat(deviceIds)
                .containsExactlyInAnyOrder(
                        "jingan-kds-cold",
                        "jingan-led-pickup",
                        "jingan-printer-backup",
                        "jingan-printer-hot-1");
        try (MqttServiceClient observer =
                new MqttServiceClient(MqttBroker.shared(), "e2e-observer", "observer-secret")) {
            // The status is retained, so subscribing after the agents connected still shows it.
            observer.subscribe("scanorder/" + storeCode + "/devices/+/status");
            for (String id : deviceIds) {
                String topic = "scanorder/" + storeCode + "/devices/" + id + "/status";
                await().atMost(Duration.ofSeconds(20))
                        .untilAsserted(
                                () ->
                                        assertThat(observer.on(topic))
                                                .as(topic)
                                                .extracting(MqttServiceClient.Received::text)
                                                .contains("online"));
            }
        }
    }

    @Test
    void theOrderServiceRegisteredEveryExampleDeviceAndSeesItOnline() throws Exception {
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", platform.orderGrpcPort())
                        .usePlaintext()
                        .build();
        try {
            var registry = DeviceRegistryGrpc.newBlockingStub(channel);
            ListDeviceHealthRequest request =
                    ListDeviceHealthRequest.newBuilder()
                            .setStoreCode(platform.examples().storeCode())
                            .build();
            // The agents' heartbeats reach the order service through the broker.
            await().atMost(Duration.ofSeconds(40))
                    .untilAsserted(
                            () -> {
                                var health =
                                        registry.withDeadlineAfter(5, TimeUnit.SECONDS)
                                                .listDeviceHealth(request);
                                assertThat(health.getDevicesList())
                                        .extracting(DeviceHealth::getDeviceId)
                                        .containsExactly(
                                                "jingan-kds-cold",
                                                "jingan-led-pickup",
                                                "jingan-printer-backup",
                                                "jingan-printer-hot-1");
                                assertThat(health.getOnlineCount()).isEqualTo(4);
                            });
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void theKdsTabletServesItsPage() throws Exception {
        KitchenSide.RunningDevice kds =
                platform.devices().stream()
                        .filter(d -> d.type().equals("kds-tablet"))
                        .findFirst()
                        .orElseThrow();
        String url = kds.endpoint().substring(kds.endpoint().indexOf("http://"));
        HttpResponse<String> page =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url)).build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).containsIgnoringCase("<html");
    }

    @Test
    void thePrintedTableNamesEveryPart() {
        String summary = platform.summary();
        assertThat(summary)
                .contains(
                        "Diner API",
                        platform.dinerApiBaseUrl(),
                        "Order gRPC",
                        "127.0.0.1:" + platform.orderGrpcPort(),
                        "Payment gRPC",
                        "127.0.0.1:" + platform.paymentGrpcPort(),
                        "WeChat simulator",
                        platform.endpoints().get("WeChat simulator"),
                        "MQTT broker",
                        MqttBroker.shared().uri(),
                        "QR sheet",
                        platform.qrSheet().toString(),
                        "http://127.0.0.1:" + platform.orderHttpPort() + "/q/metrics",
                        "http://127.0.0.1:" + platform.paymentHttpPort() + "/q/metrics");
        assertThat(platform.devices()).hasSize(4);
        for (KitchenSide.RunningDevice device : platform.devices()) {
            String line =
                    summary.lines()
                            .filter(l -> l.contains(device.id()))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError(device.id() + " not listed"));
            assertThat(line)
                    .contains(device.type(), device.role(), device.endpoint())
                    .contains(String.join(",", device.stations()));
        }
        assertThat(platform.devices())
                .extracting(KitchenSide.RunningDevice::endpoint)
                .anyMatch(e -> e.startsWith("KDS page http://127.0.0.1:"))
                .anyMatch(e -> e.startsWith("LED board emulator 127.0.0.1:"))
                .filteredOn(e -> e.startsWith("printer emulator 127.0.0.1:"))
                .hasSize(2);
    }
}
