package io.scanorder.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.scanorder.operator.model.DeviceCredentials;
import io.scanorder.operator.model.OrderServiceLink;
import java.time.Clock;
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
     * As {@link #create(KubernetesClient, Clock, Consumer)}, calling the order services through the
     * given channels (tests point them at their own gRPC server).
     */
    public static Operator create(
            KubernetesClient client,
            Clock clock,
            OrderServiceChannels orderServices,
            Consumer<ConfigurationServiceOverrider> overrides) {
        Operator operator = new Operator(o -> overrides.accept(o.withKubernetesClient(client)));
        operator.register(new StoreReconciler(clock));
        operator.register(new MenuReconciler(clock, orderServices));
        operator.register(
                new KitchenDeviceReconciler(
                        clock, DeviceCredentials.brokerUri(System.getenv()), orderServices));
        return operator;
    }

    public static void main(String[] args) {
        KubernetesClient client = new KubernetesClientBuilder().build();
        Operator operator = create(client, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(operator::stop, "operator-shutdown"));
        operator.start();
    }
}
