package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.scanorder.crds.v1alpha1.Store;

/**
 * PodDisruptionBudgets of the store services: {@code maxUnavailable: 1}.
 *
 * <p>Why not {@code minAvailable: 1}: with the autoscaler at six replicas during dinner it would
 * let a drain evict five at once; one at a time is what a store at peak can afford. Why not {@code
 * maxUnavailable: 0} for a single replica: it blocks node drains (and so cluster upgrades) forever;
 * a single-replica store has accepted a short outage on every restart anyway.
 */
public final class Disruption {
    private Disruption() {}

    public static PodDisruptionBudget podDisruptionBudget(Store store, StoreService service) {
        StoreValidation.requireValid(store.getSpec());
        return new PodDisruptionBudgetBuilder()
                .withNewMetadata()
                .withName(service.resourceName(store))
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(StoreNames.labels(store, service.component()))
                .endMetadata()
                .withNewSpec()
                .withMaxUnavailable(new IntOrString(1))
                .withNewSelector()
                .withMatchLabels(StoreNames.selectorLabels(store, service.component()))
                .endSelector()
                .endSpec()
                .build();
    }
}
