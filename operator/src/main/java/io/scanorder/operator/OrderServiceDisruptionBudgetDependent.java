package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.Disruption;
import io.scanorder.operator.model.StoreService;

/** PodDisruptionBudget of the order service. */
public class OrderServiceDisruptionBudgetDependent
        extends CRUDKubernetesDependentResource<PodDisruptionBudget, Store> {

    public OrderServiceDisruptionBudgetDependent() {
        super(PodDisruptionBudget.class);
    }

    @Override
    protected PodDisruptionBudget desired(Store store, Context<Store> context) {
        return Disruption.podDisruptionBudget(store, StoreService.ORDER);
    }
}
