package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.Event;
import io.scanorder.crds.v1alpha1.Menu;
import java.time.Clock;
import java.util.HexFormat;

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
        String digest = HexFormat.of().toHexDigits(message.hashCode());
        return StoreEvents.warning(
                menu,
                "Menu",
                menu.getMetadata().getName()
                        + ".invalid-menu."
                        + menu.getMetadata().getGeneration()
                        + "."
                        + digest,
                "scanorder.io/menu",
                INVALID_MENU,
                message,
                clock);
    }
}
