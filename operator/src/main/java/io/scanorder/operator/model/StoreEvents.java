package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.scanorder.crds.v1alpha1.ScanOrderApi;
import io.scanorder.crds.v1alpha1.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Kubernetes Events the operator records on a Store, so {@code kubectl describe} shows them. */
public final class StoreEvents {
    /** Reason of the Warning recorded when the spec cannot be reconciled as written. */
    public static final String INVALID_SPEC = "InvalidSpec";

    /** Reason of the Warning recorded when the order service refuses the store's content. */
    public static final String TABLES_REJECTED = "TablesRejected";

    /**
     * Condition type: the store's areas, tables and order settings are applied to the order
     * service.
     */
    public static final String TABLES_PUBLISHED = "TablesPublished";

    private StoreEvents() {}

    /**
     * A Warning saying why the order service refused the store (ApplyStore INVALID_ARGUMENT, the
     * message names the field). Named after the store and its generation: recorded once per spec.
     */
    public static Event tablesRejected(Store store, String message, Clock clock) {
        return warning(
                store,
                "Store",
                store.getMetadata().getName()
                        + ".tables-rejected."
                        + store.getMetadata().getGeneration(),
                StoreNames.STORE,
                TABLES_REJECTED,
                message,
                clock);
    }

    /**
     * A Warning saying what is wrong with the spec. Named after the store and its generation, so
     * retries of the same spec record it once and the next edit records anew.
     */
    public static Event invalidSpec(Store store, String message, Clock clock) {
        return warning(
                store,
                "Store",
                store.getMetadata().getName()
                        + ".invalid-spec."
                        + store.getMetadata().getGeneration(),
                StoreNames.STORE,
                INVALID_SPEC,
                message,
                clock);
    }

    /**
     * A Warning Event about {@code resource} (a ScanOrder custom resource of {@code kind}),
     * recorded once under {@code eventName} and labelled {@code label}=resource name.
     */
    static Event warning(
            HasMetadata resource,
            String kind,
            String eventName,
            String label,
            String reason,
            String message,
            Clock clock) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        ObjectMeta meta = resource.getMetadata();
        return new EventBuilder()
                .withNewMetadata()
                .withName(eventName)
                .withNamespace(meta.getNamespace())
                .withLabels(Map.of(label, meta.getName()))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(ScanOrderApi.API_VERSION)
                .withKind(kind)
                .withName(meta.getName())
                .withNamespace(meta.getNamespace())
                .withUid(meta.getUid())
                .withResourceVersion(meta.getResourceVersion())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(reason)
                .withMessage(message)
                .withNewSource()
                .withComponent(StoreNames.OPERATOR)
                .endSource()
                .withFirstTimestamp(now)
                .withLastTimestamp(now)
                .withCount(1)
                .build();
    }
}
