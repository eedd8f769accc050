package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.scanorder.crds.v1alpha1.Store;
import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Autoscaler, disruption budgets and the payment NetworkPolicy of a store. */
class ScalingAndPolicyTest {

    @Test
    void autoscalerScalesTheOrderDeploymentFromStoreReplicasToThePeakOnCpu() throws IOException {
        HorizontalPodAutoscaler hpa =
                Autoscaling.horizontalPodAutoscaler(StoreConfigTest.exampleStore());

        assertThat(hpa.getMetadata().getName()).isEqualTo("jingan-order");
        assertThat(hpa.getMetadata().getNamespace()).isEqualTo("lotus-kitchen");
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("jingan-order");
        // peak 5 orders/s at 2 per replica -> 3; replicas 2.
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(3);
        MetricSpec metric = hpa.getSpec().getMetrics().get(0);
        assertThat(hpa.getSpec().getMetrics()).hasSize(1);
        assertThat(metric.getType()).isEqualTo("Resource");
        assertThat(metric.getResource().getName()).isEqualTo("cpu");
        assertThat(metric.getResource().getTarget().getType()).isEqualTo("Utilization");
        assertThat(metric.getResource().getTarget().getAverageUtilization()).isEqualTo(70);
    }

    @Test
    void maxReplicasFollowsThePeakBetweenTheMinimumAndTheCap() {
        assertThat(Autoscaling.maxReplicas(2, 1)).isEqualTo(2);
        assertThat(Autoscaling.maxReplicas(2, 5)).isEqualTo(3);
        assertThat(Autoscaling.maxReplicas(2, 40)).isEqualTo(20);
        assertThat(Autoscaling.maxReplicas(2, 41)).isEqualTo(21);
        assertThat(Autoscaling.maxReplicas(4, 10_000)).isEqualTo(30);
        assertThat(Autoscaling.maxReplicas(20, 3)).isEqualTo(20);
    }

    @Test
    void noPeakMeansNoAutoscaler() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        store.getSpec().getServing().setPeakOrdersPerSecond(null);

        assertThat(Autoscaling.enabled(store)).isFalse();
        assertThatThrownBy(() -> Autoscaling.horizontalPodAutoscaler(store))
                .hasMessage("spec.serving.peakOrdersPerSecond is required for an autoscaler");
        store.getSpec().setServing(null);
        assertThat(Autoscaling.enabled(store)).isFalse();
    }

    @Test
    void disruptionBudgetsLetOnePodOfEachServiceGoAtATime() throws IOException {
        for (StoreService service : StoreService.values()) {
            PodDisruptionBudget pdb =
                    Disruption.podDisruptionBudget(StoreConfigTest.exampleStore(), service);

            assertThat(pdb.getMetadata().getName())
                    .isEqualTo("jingan-" + (service == StoreService.ORDER ? "order" : "payment"));
            assertThat(pdb.getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
            assertThat(pdb.getSpec().getMinAvailable()).isNull();
            assertThat(pdb.getSpec().getSelector().getMatchLabels())
                    .isEqualTo(
                            Map.of(
                                    StoreNames.COMPONENT,
                                    service.component(),
                                    StoreNames.STORE,
                                    "jingan"));
        }
    }

    @Test
    void onlyTheStoresOrderPodsReachPaymentGrpcAndOnlyMonitoringAndIngressReachHttp()
            throws IOException {
        NetworkPolicy policy = NetworkPolicies.paymentNetworkPolicy(StoreConfigTest.exampleStore());

        assertThat(policy.getMetadata().getName()).isEqualTo("jingan-payment-ingress");
        assertThat(policy.getSpec().getPodSelector().getMatchLabels())
                .isEqualTo(
                        Map.of(
                                StoreNames.COMPONENT, "payment-service",
                                StoreNames.STORE, "jingan"));
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).hasSize(3);

        NetworkPolicyIngressRule grpc = policy.getSpec().getIngress().get(0);
        assertThat(grpc.getPorts())
                .singleElement()
                .satisfies(p -> assertThat(p.getPort()).isEqualTo(new IntOrString(9000)));
        assertThat(grpc.getFrom())
                .singleElement()
                .satisfies(
                        peer -> {
                            assertThat(peer.getNamespaceSelector()).isNull();
                            assertThat(peer.getPodSelector().getMatchLabels())
                                    .isEqualTo(
                                            Map.of(
                                                    StoreNames.COMPONENT, "order-service",
                                                    StoreNames.STORE, "jingan"));
                        });
        for (int i = 1; i <= 2; i++) {
            NetworkPolicyIngressRule http = policy.getSpec().getIngress().get(i);
            assertThat(http.getPorts())
                    .singleElement()
                    .satisfies(p -> assertThat(p.getPort()).isEqualTo(new IntOrString(8080)));
            assertThat(http.getFrom().get(0).getPodSelector()).isNull();
        }
        assertThat(
                        policy.getSpec()
                                .getIngress()
                                .get(1)
                                .getFrom()
                                .get(0)
                                .getNamespaceSelector()
                                .getMatchLabels())
                .isEqualTo(Map.of("scanorder.io/monitoring", "true"));
        assertThat(
                        policy.getSpec()
                                .getIngress()
                                .get(2)
                                .getFrom()
                                .get(0)
                                .getNamespaceSelector()
                                .getMatchLabels())
                .isEqualTo(Map.of("scanorder.io/ingress", "true"));
    }
}
