package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.scanorder.crds.v1alpha1.ScanOrderApi;
import io.scanorder.crds.v1alpha1.Store;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Kubernetes Events the operator records on a Store, so {@code kubectl describe} shows them. */
public final class StoreEvents {
    /** Reason of the Warning recorded when the spec cannot be reconciled as written. */
    public static final String INVALID_SPEC = "InvalidSpec";

    private StoreEvents() {}

    /**
     * A Warning saying what is wrong with the spec. Named after the store and its generation, so
     * retries of the same spec record it once and the next edit records anew.
     */
    public static Event invalidSpec(Store store, String message, Clock clock) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        return new EventBuilder()
                .withNewMetadata()
                .withName(
                        store.getMetadata().getName()
                                + ".invalid-spec."
                                + store.getMetadata().getGeneration())
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(java.util.Map.of(StoreNames.STORE, store.getMetadata().getName()))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(ScanOrderApi.API_VERSION)
                .withKind("Store")
                .withName(store.getMetadata().getName())
                .withNamespace(store.getMetadata().getNamespace())
                .withUid(store.getMetadata().getUid())
                .withResourceVersion(store.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(INVALID_SPEC)
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
