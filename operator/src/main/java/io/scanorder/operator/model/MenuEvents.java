package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.crds.v1alpha1.ScanOrderApi;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;

/** Kubernetes Events the operator records on a Menu, so {@code kubectl describe} shows them. */
public final class MenuEvents {
    /** Reason of the Warning recorded when a menu cannot be published as written. */
    public static final String INVALID_MENU = "InvalidMenu";

    private MenuEvents() {}

    /**
     * A Warning saying what is wrong. Named after the menu, its generation and the message, so
     * retries record it once, while a Store change that makes the same menu invalid in a new way
     * records anew.
     */
    public static Event invalidMenu(Menu menu, String message, Clock clock) {
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        String digest = HexFormat.of().toHexDigits(message.hashCode());
        return new EventBuilder()
                .withNewMetadata()
                .withName(
                        menu.getMetadata().getName()
                                + ".invalid-menu."
                                + menu.getMetadata().getGeneration()
                                + "."
                                + digest)
                .withNamespace(menu.getMetadata().getNamespace())
                .withLabels(Map.of("scanorder.io/menu", menu.getMetadata().getName()))
                .endMetadata()
                .withNewInvolvedObject()
                .withApiVersion(ScanOrderApi.API_VERSION)
                .withKind("Menu")
                .withName(menu.getMetadata().getName())
                .withNamespace(menu.getMetadata().getNamespace())
                .withUid(menu.getMetadata().getUid())
                .withResourceVersion(menu.getMetadata().getResourceVersion())
                .endInvolvedObject()
                .withType("Warning")
                .withReason(INVALID_MENU)
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
