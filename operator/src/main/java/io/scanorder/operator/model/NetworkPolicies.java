package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeerBuilder;
import io.scanorder.crds.v1alpha1.Store;
import java.util.Map;

/**
 * The NetworkPolicy in front of a store's payment service, the one component holding merchant keys.
 * Ingress to its pods is allowed only from:
 *
 * <ul>
 *   <li>the same store's order-service pods, to gRPC port 9000;
 *   <li>pods in namespaces labelled {@value #MONITORING_LABEL}{@code =true} (Prometheus), to HTTP
 *       port 8080 for {@code /q/metrics};
 *   <li>pods in namespaces labelled {@value #INGRESS_LABEL}{@code =true} (the ingress controller
 *       WeChat Pay notifications arrive through), to HTTP port 8080.
 * </ul>
 *
 * Egress stays open: the service must reach the WeChat Pay API.
 */
public final class NetworkPolicies {
    /** Namespace label marking the monitoring namespace allowed to scrape the payment service. */
    public static final String MONITORING_LABEL = "scanorder.io/monitoring";

    /** Namespace label marking the ingress controller's namespace. */
    public static final String INGRESS_LABEL = "scanorder.io/ingress";

    private NetworkPolicies() {}

    public static String paymentPolicyName(Store store) {
        return StoreService.PAYMENT.resourceName(store) + "-ingress";
    }

    public static NetworkPolicy paymentNetworkPolicy(Store store) {
        StoreValidation.requireValid(store.getSpec());
        NetworkPolicyPeer orderPods =
                new NetworkPolicyPeerBuilder()
                        .withNewPodSelector()
                        .withMatchLabels(
                                StoreNames.selectorLabels(store, StoreService.ORDER.component()))
                        .endPodSelector()
                        .build();
        return new NetworkPolicyBuilder()
                .withNewMetadata()
                .withName(paymentPolicyName(store))
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(StoreNames.labels(store, StoreService.PAYMENT.component()))
                .endMetadata()
                .withNewSpec()
                .withNewPodSelector()
                .withMatchLabels(StoreNames.selectorLabels(store, StoreService.PAYMENT.component()))
                .endPodSelector()
                .withPolicyTypes("Ingress")
                .withIngress(
                        rule(orderPods, StoreService.GRPC_PORT),
                        rule(namespacesLabelled(MONITORING_LABEL), StoreService.HTTP_PORT),
                        rule(namespacesLabelled(INGRESS_LABEL), StoreService.HTTP_PORT))
                .endSpec()
                .build();
    }

    private static NetworkPolicyPeer namespacesLabelled(String label) {
        return new NetworkPolicyPeerBuilder()
                .withNewNamespaceSelector()
                .withMatchLabels(Map.of(label, "true"))
                .endNamespaceSelector()
                .build();
    }

    private static NetworkPolicyIngressRule rule(NetworkPolicyPeer from, int port) {
        return new NetworkPolicyIngressRuleBuilder()
                .withFrom(from)
                .addNewPort()
                .withProtocol("TCP")
                .withPort(new IntOrString(port))
                .endPort()
                .build();
    }
}
