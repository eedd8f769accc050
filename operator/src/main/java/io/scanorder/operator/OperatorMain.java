package io.scanorder.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.scanorder.operator.model.DeviceCredentials;
import io.scanorder.operator.model.OperatorConfig;
import io.scanorder.operator.model.OperatorRuntime;
import io.scanorder.operator.model.OrderServiceLink;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Starts the ScanOrder operator against the cluster of the current kubeconfig or service account.
 */
public final class OperatorMain {
    private OperatorMain() {}

    /** Builds an operator with every ScanOrder reconciler registered; the caller starts it. */
    public static Operator create(KubernetesClient client, Clock clock) {
        return create(client, clock, o -> {});
    }

    /** As {@link #create(KubernetesClient, Clock)}, with further operator settings applied. */
    public static Operator create(
            KubernetesClient client,
            Clock clock,
            Consumer<ConfigurationServiceOverrider> overrides) {
        return create(
                client,
                clock,
                new OrderServiceChannels(OrderServiceLink.fromEnv(System.getenv())),
                overrides);
    }

    /**
     * As {@link #create(KubernetesClient, Clock, OrderServiceChannels, OperatorConfig, Consumer)}
     * with the operator settings of the environment.
     */
    public static Operator create(
            KubernetesClient client,
            Clock clock,
            OrderServiceChannels orderServices,
            Consumer<ConfigurationServiceOverrider> overrides) {
        return create(
                client, clock, orderServices, OperatorConfig.fromEnv(System.getenv()), overrides);
    }

    /**
     * As {@link #create(KubernetesClient, Clock, Consumer)}, calling the order services through the
     * given channels (tests point them at their own gRPC server), with the given images and broker
     * for the store services.
     */
    public static Operator create(
            KubernetesClient client,
            Clock clock,
            OrderServiceChannels orderServices,
            OperatorConfig config,
            Consumer<ConfigurationServiceOverrider> overrides) {
        Operator operator =
                new Operator(
                        o ->
                                overrides.accept(
                                        o.withKubernetesClient(client)
                                                .withDependentResourceFactory(
                                                        new ConfiguredDependents(config))));
        operator.register(new StoreReconciler(clock, orderServices, config.serviceBrokerUri()));
        operator.register(new MenuReconciler(clock, orderServices));
        operator.register(
                new KitchenDeviceReconciler(
                        clock, DeviceCredentials.brokerUri(System.getenv()), orderServices));
        return operator;
    }

    /**
     * As {@link #create(KubernetesClient, Clock, OrderServiceChannels, Consumer)}, with the process
     * settings applied: JOSDK's Micrometer metrics into {@code registry} and, when enabled, leader
     * election through a Lease.
     */
    public static Operator create(
            KubernetesClient client,
            Clock clock,
            OrderServiceChannels orderServices,
            OperatorRuntime runtime,
            MeterRegistry registry,
            AtomicBoolean leading,
            Consumer<ConfigurationServiceOverrider> overrides) {
        return create(
                client,
                clock,
                orderServices,
                o -> {
                    o.withMetrics(MicrometerMetrics.withoutPerResourceMetrics(registry));
                    if (runtime.leaderElection()) {
                        o.withLeaderElectionConfiguration(
                                new LeaderElectionConfiguration(
                                        runtime.leaseName(),
                                        runtime.leaseNamespace(),
                                        LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
                                        LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                                        LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE,
                                        identity(),
                                        new LeaderCallbacks(
                                                () -> leading.set(true),
                                                () -> leading.set(false),
                                                holder -> {}),
                                        // A replica that lost the Lease exits and restarts as a
                                        // standby, rather than keep reconciling next to the leader.
                                        runtime.exitOnLostLease()));
                    } else {
                        leading.set(true);
                    }
                    overrides.accept(o);
                });
    }

    /** The pod name (unique per replica), made unique per process for replicas in one pod. */
    private static String identity() {
        String host = System.getenv().getOrDefault("HOSTNAME", "scanorder-operator");
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void main(String[] args) {
        KubernetesClient client = new KubernetesClientBuilder().build();
        OperatorRuntime runtime = OperatorRuntime.fromEnv(System.getenv());
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OrderServiceChannels orderServices =
                new OrderServiceChannels(OrderServiceLink.fromEnv(System.getenv()));
        AtomicBoolean leading = new AtomicBoolean();
        Operator operator =
                create(
                        client,
                        Clock.systemUTC(),
                        orderServices,
                        runtime,
                        registry,
                        leading,
                        o -> {});
        OperatorHttpServer http =
                OperatorHttpServer.start(
                        runtime.httpPort(), operator, registry, () -> !leading.get());
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    http.close();
                                    orderServices.close();
                                    // Stopping a leader releases the Lease, which JOSDK answers
                                    // with System.exit: inside this hook that would block the JVM
                                    // until it is killed. The leader exits holding the Lease; the
                                    // standby takes over when it expires (15 s).
                                    if (!runtime.leaderElection()) {
                                        operator.stop();
                                    }
                                },
                                "operator-shutdown"));
        operator.start();
    }
}
