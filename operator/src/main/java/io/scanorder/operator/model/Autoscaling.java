package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.scanorder.crds.v1alpha1.ServingSpec;
import io.scanorder.crds.v1alpha1.Store;

/**
 * The order service's HorizontalPodAutoscaler, sized from the store's expected peak.
 *
 * <p>{@code minReplicas = spec.serving.replicas} and {@code maxReplicas = min(MAX_REPLICAS,
 * max(minReplicas, ceil(peakOrdersPerSecond / ORDERS_PER_SECOND_PER_REPLICA)))}; the autoscaler
 * scales on CPU at {@value #TARGET_CPU_UTILIZATION}% of the requests. A store without a peak gets
 * no autoscaler and runs its fixed replicas.
 */
public final class Autoscaling {
    /**
     * Orders per second one order-service replica absorbs at the target CPU. A planning figure (an
     * order is a handful of database writes, a payment call and kitchen tickets); replace it with
     * the load-test result once the order service exists.
     */
    public static final int ORDERS_PER_SECOND_PER_REPLICA = 2;

    /** Upper bound whatever the peak: a store beyond it needs a capacity review, not more pods. */
    public static final int MAX_REPLICAS = 30;

    public static final int TARGET_CPU_UTILIZATION = 70;

    private Autoscaling() {}

    /** True when the store declares a peak, so an autoscaler is wanted. */
    public static boolean enabled(Store store) {
        ServingSpec serving = store.getSpec() == null ? null : store.getSpec().getServing();
        return serving != null && serving.getPeakOrdersPerSecond() != null;
    }

    /** The formula of the class comment. */
    public static int maxReplicas(int minReplicas, int peakOrdersPerSecond) {
        int forPeak =
                (peakOrdersPerSecond + ORDERS_PER_SECOND_PER_REPLICA - 1)
                        / ORDERS_PER_SECOND_PER_REPLICA;
        return Math.min(MAX_REPLICAS, Math.max(minReplicas, forPeak));
    }

    /** The autoscaler of the store's order-service Deployment; only when {@link #enabled}. */
    public static HorizontalPodAutoscaler horizontalPodAutoscaler(Store store) {
        ServingSpec serving = StoreValidation.requireValid(store.getSpec()).getServing();
        if (!enabled(store)) {
            throw new IllegalArgumentException(
                    "spec.serving.peakOrdersPerSecond is required for an autoscaler");
        }
        int min = ServiceWorkloads.replicas(serving);
        return new HorizontalPodAutoscalerBuilder()
                .withNewMetadata()
                .withName(StoreService.ORDER.resourceName(store))
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(StoreNames.labels(store, StoreService.ORDER.component()))
                .endMetadata()
                .withNewSpec()
                .withNewScaleTargetRef()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(StoreService.ORDER.resourceName(store))
                .endScaleTargetRef()
                .withMinReplicas(min)
                .withMaxReplicas(maxReplicas(min, serving.getPeakOrdersPerSecond()))
                .addNewMetric()
                .withType("Resource")
                .withNewResource()
                .withName("cpu")
                .withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(TARGET_CPU_UTILIZATION)
                .endTarget()
                .endResource()
                .endMetric()
                .endSpec()
                .build();
    }
}
