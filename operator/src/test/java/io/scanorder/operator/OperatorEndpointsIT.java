package io.scanorder.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scanorder.operator.model.OperatorRuntime;
import io.scanorder.operator.model.OrderServiceLink;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two operator replicas with leader election against the mock API server: one holds the Lease and
 * reconciles, the other waits; both answer the probes, and the leader's /metrics counts reconciles.
 */
class OperatorEndpointsIT {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Map<ServerRequest, Queue<ServerResponse>> EXPECTATIONS = new HashMap<>();

    /**
     * Its own mock API server in mixed mode: CRUD like the testkit's, plus the one answer CRUD mode
     * cannot give: JOSDK checks its Lease permissions with a SelfSubjectRulesReview first.
     */
    static final KubernetesMockServer SERVER =
            new KubernetesMockServer(
                    new Context(),
                    new MockWebServer(),
                    EXPECTATIONS,
                    new KubernetesMixedDispatcher(EXPECTATIONS),
                    false);

    static KubernetesClient CLIENT;
    static String leaseNamespace;
    static Replica first;
    static Replica second;

    /** One operator process: its operator, its registry, its endpoint, its Lease callbacks. */
    record Replica(
            Operator operator,
            PrometheusMeterRegistry registry,
            OperatorHttpServer http,
            AtomicBoolean leading,
            OrderServiceChannels channels) {
        static Replica start(String leaseNamespace) {
            PrometheusMeterRegistry registry =
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            AtomicBoolean leading = new AtomicBoolean();
            OrderServiceChannels channels = new OrderServiceChannels(OrderServiceLink.defaults());
            Operator operator =
                    OperatorMain.create(
                            CLIENT,
                            Clock.systemUTC(),
                            channels,
                            // Tests stop replicas; exiting the JVM on the lost Lease would end the
                            // test run.
                            new OperatorRuntime(
                                    true, "scanorder-operator", leaseNamespace, 8080, false),
                            registry,
                            leading,
                            o ->
                                    o.withUseSSAToPatchPrimaryResource(false)
                                            .withSSABasedCreateUpdateMatchForDependentResources(
                                                    false)
                                            .withCloseClientOnStop(false));
            OperatorHttpServer http =
                    OperatorHttpServer.start(0, operator, registry, () -> !leading.get());
            operator.start();
            return new Replica(operator, registry, http, leading, channels);
        }

        void stop() {
            http.close();
            operator.stop();
            channels.close();
        }

        HttpResponse<String> get(String path) throws Exception {
            return HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @BeforeAll
    static void startReplicas() throws Exception {
        SERVER.init(InetAddress.getLoopbackAddress(), 0);
        CLIENT = SERVER.createClient();
        SERVER.expect()
                .post()
                .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
                .andReturn(
                        201,
                        new SelfSubjectRulesReviewBuilder()
                                .withNewMetadata()
                                .endMetadata()
                                .withNewStatus()
                                .addNewResourceRule()
                                .withApiGroups("coordination.k8s.io")
                                .withResources("leases")
                                .withVerbs("get", "create", "update")
                                .endResourceRule()
                                .withIncomplete(false)
                                .endStatus()
                                .build())
                .always();
        for (String crd :
                List.of(
                        "stores.scanorder.io-v1.yml",
                        "menus.scanorder.io-v1.yml",
                        "kitchendevices.scanorder.io-v1.yml")) {
            try (InputStream in =
                    OperatorEndpointsIT.class
                            .getClassLoader()
                            .getResourceAsStream("META-INF/fabric8/" + crd)) {
                CLIENT.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
                        .create();
            }
        }
        leaseNamespace = "scanorder-system";
        first = Replica.start(leaseNamespace);
        await().atMost(TIMEOUT).untilTrue(first.leading());
        second = Replica.start(leaseNamespace);
    }

    @AfterAll
    static void stopReplicas() {
        if (second != null) {
            second.stop();
        }
        if (first != null) {
            first.stop();
        }
        CLIENT.close();
        SERVER.destroy();
    }

    @Test
    void oneReplicaHoldsTheLeaseAndTheOtherWaits() throws Exception {
        Lease lease =
                CLIENT.leases().inNamespace(leaseNamespace).withName("scanorder-operator").get();
        assertThat(lease).isNotNull();
        assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
        // The standby keeps waiting while the leader renews.
        await().during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .untilFalse(second.leading());
    }

    @Test
    void bothReplicasAnswerTheProbes() throws Exception {
        for (Replica replica : new Replica[] {first, second}) {
            assertThat(replica.get("/healthz").statusCode()).isEqualTo(200);
            await().atMost(TIMEOUT).until(() -> replica.get("/readyz").statusCode() == 200);
        }
    }

    @Test
    void leaderMetricsCountReconcilesOfAStore() throws Exception {
        String ns = "brand-a";
        CLIENT.resource(MenuReconcilerIT.store(ns, "301")).create();
        await().atMost(TIMEOUT)
                .until(
                        () -> CLIENT.configMaps().inNamespace(ns).withName("jingan-config").get(),
                        c -> c != null);
        await().atMost(TIMEOUT)
                .untilAsserted(
                        () -> {
                            HttpResponse<String> metrics = first.get("/metrics");
                            assertThat(metrics.statusCode()).isEqualTo(200);
                            assertThat(metrics.headers().firstValue("Content-Type"))
                                    .hasValueSatisfying(
                                            t -> assertThat(t).startsWith("text/plain"));
                            assertThat(metrics.body())
                                    .contains("operator_sdk_reconciliations_started_total")
                                    .contains("operator_sdk_reconciliations_success_total");
                        });
    }
}
