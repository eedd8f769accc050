package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.AggregatedOperatorException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.ServiceReadiness;
import io.scanorder.operator.model.StoreService;
import java.util.Optional;
import java.util.stream.Stream;

/** JOSDK glue the reconciler and dependents share: secondary lookup and failure triage. */
final class Secondaries {
    private Secondaries() {}

    /** One secondary resource by name, when several dependents share its type. */
    static <R extends HasMetadata> Optional<R> byName(
            Context<?> context, Class<R> type, String name) {
        // Each dependent has its own informer, so the same object may be listed more than once.
        return context.getSecondaryResourcesAsStream(type)
                .filter(r -> name.equals(r.getMetadata().getName()))
                .findFirst();
    }

    /** OrderServiceReady or PaymentServiceReady from the service's Deployment. */
    static Condition readiness(Store store, Context<Store> context, StoreService service) {
        String type =
                service == StoreService.ORDER
                        ? ConditionType.ORDER_SERVICE_READY
                        : ConditionType.PAYMENT_SERVICE_READY;
        return ServiceReadiness.condition(
                type, byName(context, Deployment.class, service.resourceName(store)).orElse(null));
    }

    /** The model's IllegalArgumentException naming the invalid field, wherever it was thrown. */
    static Optional<IllegalArgumentException> invalidSpec(Throwable e) {
        if (e instanceof AggregatedOperatorException aggregated) {
            return aggregated.getAggregatedExceptions().values().stream()
                    .map(Secondaries::invalidSpec)
                    .flatMap(Optional::stream)
                    .findFirst();
        }
        return Stream.iterate(e, t -> t != null, Throwable::getCause)
                .filter(IllegalArgumentException.class::isInstance)
                .map(IllegalArgumentException.class::cast)
                .findFirst();
    }
}
