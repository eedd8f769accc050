package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.workflow.Condition;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.Autoscaling;
import io.scanorder.operator.model.StoreService;

/** The order service's autoscaler; exists only while the store declares a peak. */
public class OrderServiceAutoscalerDependent
        extends CRUDKubernetesDependentResource<HorizontalPodAutoscaler, Store> {

    public OrderServiceAutoscalerDependent() {
        super(HorizontalPodAutoscaler.class);
    }

    @Override
    protected HorizontalPodAutoscaler desired(Store store, Context<Store> context) {
        return Autoscaling.horizontalPodAutoscaler(store);
    }

    /**
     * Names the autoscaler without computing it: when the peak is removed JOSDK deletes the
     * autoscaler and looks it up by this id, and there is no desired autoscaler then.
     */
    @Override
    protected ResourceID targetSecondaryResourceID(Store store, Context<Store> context) {
        return new ResourceID(
                StoreService.ORDER.resourceName(store), store.getMetadata().getNamespace());
    }

    /** Reconcile precondition: a peak is declared (when it is removed, the autoscaler goes). */
    public static class PeakDeclared implements Condition<HorizontalPodAutoscaler, Store> {
        @Override
        public boolean isMet(
                DependentResource<HorizontalPodAutoscaler, Store> dependent,
                Store store,
                Context<Store> context) {
            return Autoscaling.enabled(store);
        }
    }
}
