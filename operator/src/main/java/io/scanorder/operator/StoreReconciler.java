package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.crds.v1alpha1.StoreStatus;
import io.scanorder.operator.model.StatusAggregator;
import io.scanorder.operator.model.StoreConfig;
import io.scanorder.operator.model.StoreNames;
import java.time.Clock;

/** Reconciles a Store: applies its dependents, then reports what exists in the status. */
@ControllerConfiguration
@Workflow(dependents = @Dependent(type = StoreConfigMapDependent.class))
public class StoreReconciler implements Reconciler<Store> {
    static final String NOT_MANAGED_YET = "NotManagedYet";

    private final Clock clock;

    public StoreReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpdateControl<Store> reconcile(Store store, Context<Store> context) {
        String configMap = StoreNames.configMapName(store);
        boolean applied = context.getSecondaryResource(ConfigMap.class).isPresent();
        StatusAggregator conditions =
                aggregator(store)
                        .set(
                                ConditionType.CONFIG_READY,
                                applied ? ConditionStatus.True : ConditionStatus.Unknown,
                                applied ? "ConfigMapApplied" : "ConfigMapPending",
                                "ConfigMap "
                                        + configMap
                                        + (applied ? " is up to date" : " not seen yet"))
                        // Service Deployments come with the next operator issue; until then the
                        // status says so instead of claiming readiness.
                        .set(
                                ConditionType.ORDER_SERVICE_READY,
                                ConditionStatus.Unknown,
                                NOT_MANAGED_YET,
                                "the operator does not deploy the order service yet")
                        .set(
                                ConditionType.PAYMENT_SERVICE_READY,
                                ConditionStatus.Unknown,
                                NOT_MANAGED_YET,
                                "the operator does not deploy the payment service yet");
        StoreStatus status = status(store, conditions);
        status.setTableCount(StoreConfig.tableCount(store.getSpec()));
        return UpdateControl.patchStatus(store);
    }

    @Override
    public ErrorStatusUpdateControl<Store> updateErrorStatus(
            Store store, Context<Store> context, Exception e) {
        status(
                store,
                aggregator(store)
                        .set(
                                ConditionType.CONFIG_READY,
                                ConditionStatus.False,
                                "ReconcileFailed",
                                e.getClass().getSimpleName() + ": " + e.getMessage()));
        return ErrorStatusUpdateControl.patchStatus(store);
    }

    private StatusAggregator aggregator(Store store) {
        StoreStatus previous = store.getStatus();
        return new StatusAggregator(
                previous == null ? null : previous.getConditions(),
                store.getMetadata().getGeneration(),
                clock);
    }

    private static StoreStatus status(Store store, StatusAggregator conditions) {
        StoreStatus status = store.getStatus() == null ? new StoreStatus() : store.getStatus();
        status.setObservedGeneration(store.getMetadata().getGeneration());
        status.setConditions(conditions.build());
        store.setStatus(status);
        return status;
    }
}
