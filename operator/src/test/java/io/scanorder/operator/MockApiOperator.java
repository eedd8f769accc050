package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.scanorder.operator.model.OperatorConfig;
import io.scanorder.operator.model.OrderServiceLink;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/** Runs the real operator against the testkit's mock API server, as every operator IT does. */
final class MockApiOperator {
    private MockApiOperator() {}

    /**
     * Installs the generated CRDs (from the crds module's build): with them the mock server treats
     * status as a subresource and the resources as namespaced, as a real API server would.
     */
    static void installCrds(KubernetesClient client) {
        for (String file :
                new String[] {
                    "stores.scanorder.io-v1.yml",
                    "menus.scanorder.io-v1.yml",
                    "kitchendevices.scanorder.io-v1.yml"
                }) {
            try (InputStream in =
                    MockApiOperator.class
                            .getClassLoader()
                            .getResourceAsStream("META-INF/fabric8/" + file)) {
                client.apiextensions()
                        .v1()
                        .customResourceDefinitions()
                        .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
                        .createOr(r -> r.update());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Channels to an order-service double at {@code target}, with short timeouts and backoff. */
    static OrderServiceChannels fastChannels(String target) {
        return new OrderServiceChannels(
                new OrderServiceLink(
                        target,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofMillis(200),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2)));
    }

    /** Installs the CRDs and starts the operator with the given order services and settings. */
    static Operator start(
            KubernetesClient client, OrderServiceChannels channels, OperatorConfig config) {
        installCrds(client);
        Operator operator =
                OperatorMain.create(client, Clock.systemUTC(), channels, config, mockServerSafe());
        operator.start();
        return operator;
    }

    /**
     * As {@link #start(KubernetesClient, OrderServiceChannels, OperatorConfig)}, default settings.
     */
    static Operator start(KubernetesClient client, OrderServiceChannels channels) {
        return start(client, channels, OperatorConfig.fromEnv(System.getenv()));
    }

    /**
     * The mock API server answers server-side apply (apply-patch+yaml) with 415, so test operators
     * patch with JSON merge patches (production keeps JOSDK's SSA defaults); and the client is the
     * testkit's, shared by every IT, so stopping an operator must not close it.
     */
    private static Consumer<ConfigurationServiceOverrider> mockServerSafe() {
        return o ->
                o.withUseSSAToPatchPrimaryResource(false)
                        .withSSABasedCreateUpdateMatchForDependentResources(false)
                        .withCloseClientOnStop(false);
    }
}
