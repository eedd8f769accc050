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
import io.scanorder.operator.model.StoreEvents;
import io.scanorder.operator.model.StoreNames;
import io.scanorder.operator.model.StoreService;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reconciles a Store: applies its dependents, then reports what exists in the status. */
@ControllerConfiguration
@Workflow(
        dependents = {
            @Dependent(type = StoreConfigMapDependent.class),
            @Dependent(type = OrderServiceDeploymentDependent.class),
            @Dependent(type = OrderServiceServiceDependent.class),
            @Dependent(
                    type = OrderServiceAutoscalerDependent.class,
                    reconcilePrecondition = OrderServiceAutoscalerDependent.PeakDeclared.class),
            @Dependent(type = OrderServiceDisruptionBudgetDependent.class),
            @Dependent(type = PaymentServiceDeploymentDependent.class),
            @Dependent(type = PaymentServiceServiceDependent.class),
            @Dependent(type = PaymentServiceDisruptionBudgetDependent.class),
            @Dependent(type = PaymentNetworkPolicyDependent.class)
        })
public class StoreReconciler implements Reconciler<Store> {
    private static final Logger LOG = LoggerFactory.getLogger(StoreReconciler.class);
    private final Clock clock;

    public StoreReconciler(Clock clock) {
        this.clock = clock;
    }

    @Override
    public UpdateControl<Store> reconcile(Store store, Context<Store> context) {
        boolean applied = context.getSecondaryResource(ConfigMap.class).isPresent();
        StatusAggregator conditions =
                aggregator(store)
                        .set(
                                ConditionType.CONFIG_READY,
                                applied ? ConditionStatus.True : ConditionStatus.Unknown,
                                applied ? "ConfigMapApplied" : "ConfigMapPending",
                                "ConfigMap "
                                        + StoreNames.configMapName(store)
                                        + (applied ? " is up to date" : " not seen yet"))
                        .set(Secondaries.readiness(store, context, StoreService.ORDER))
                        .set(Secondaries.readiness(store, context, StoreService.PAYMENT))
                        // Honest until the Menu and KitchenDevice reconcilers exist.
                        .set(
                                ConditionType.MENU_PUBLISHED,
                                ConditionStatus.Unknown,
                                "MenuReconcilerNotInstalled",
                                "this operator version does not publish menus yet")
                        .set(
                                ConditionType.DEVICES_HEALTHY,
                                ConditionStatus.Unknown,
                                "DeviceReconcilerNotInstalled",
                                "this operator version does not observe kitchen devices yet");
        StoreStatus status = status(store, conditions);
        status.setTableCount(StoreConfig.tableCount(store.getSpec()));
        status.setEndpoints(StoreNames.endpoints(store));
        return UpdateControl.patchStatus(store);
    }

    @Override
    public ErrorStatusUpdateControl<Store> updateErrorStatus(
            Store store, Context<Store> context, Exception e) {
        Optional<IllegalArgumentException> invalid = Secondaries.invalidSpec(e);
        String message = invalid.map(Exception::getMessage).orElse(e.getMessage());
        status(
                store,
                aggregator(store)
                        .set(
                                ConditionType.CONFIG_READY,
                                ConditionStatus.False,
                                invalid.isPresent() ? StoreEvents.INVALID_SPEC : "ReconcileFailed",
                                message));
        if (invalid.isEmpty()) {
            return ErrorStatusUpdateControl.patchStatus(store); // transient: retried with backoff
        }
        try {
            context.getClient().resource(StoreEvents.invalidSpec(store, message, clock)).create();
        } catch (RuntimeException alreadyRecorded) {
            LOG.debug("Event for {} not recorded: {}", message, alreadyRecorded.getMessage());
        }
        // Retrying cannot fix the spec; the edit that does triggers a new reconciliation.
        return ErrorStatusUpdateControl.patchStatus(store).withNoRetry();
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
