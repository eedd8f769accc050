package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.crds.v1alpha1.Store;
import java.util.Optional;

/** A Store's MenuPublished condition, read from the status of the Menu it references. */
public final class MenuPublication {
    private MenuPublication() {}

    /**
     * MenuPublished for the store: False when the menu is missing or invalid, the menu's own
     * Published condition otherwise, Unknown until the menu has been reconciled.
     */
    public static Condition condition(Store store, Menu menu) {
        if (menu == null) {
            return new Condition(
                    ConditionType.MENU_PUBLISHED,
                    ConditionStatus.False,
                    "MenuNotFound",
                    "spec.menuRef: Menu '"
                            + store.getSpec().getMenuRef()
                            + "' not found in namespace "
                            + store.getMetadata().getNamespace());
        }
        Optional<Condition> valid = find(menu, ConditionType.VALID);
        if (valid.isPresent() && valid.get().getStatus() == ConditionStatus.False) {
            return new Condition(
                    ConditionType.MENU_PUBLISHED,
                    ConditionStatus.False,
                    "MenuInvalid",
                    "Menu " + menu.getMetadata().getName() + ": " + valid.get().getMessage());
        }
        return find(menu, ConditionType.PUBLISHED)
                .map(
                        p ->
                                new Condition(
                                        ConditionType.MENU_PUBLISHED,
                                        p.getStatus(),
                                        p.getReason(),
                                        "Menu "
                                                + menu.getMetadata().getName()
                                                + ": "
                                                + p.getMessage()))
                .orElseGet(
                        () ->
                                new Condition(
                                        ConditionType.MENU_PUBLISHED,
                                        ConditionStatus.Unknown,
                                        "MenuNotReconciledYet",
                                        "Menu "
                                                + menu.getMetadata().getName()
                                                + " has no Published condition yet"));
    }

    private static Optional<Condition> find(Menu menu, String type) {
        if (menu.getStatus() == null || menu.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return menu.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst();
    }
}
