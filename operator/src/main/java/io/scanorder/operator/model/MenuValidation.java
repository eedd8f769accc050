package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.AvailabilityWindow;
import io.scanorder.crds.v1alpha1.Combo;
import io.scanorder.crds.v1alpha1.ComboComponent;
import io.scanorder.crds.v1alpha1.MenuCategory;
import io.scanorder.crds.v1alpha1.MenuItem;
import io.scanorder.crds.v1alpha1.MenuSpec;
import io.scanorder.crds.v1alpha1.Sku;
import io.scanorder.crds.v1alpha1.Station;
import io.scanorder.crds.v1alpha1.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a Menu against the Stores that sell it, before anything is published: what the CRD schema
 * cannot check (stations of another resource) and what a client bypassing it could break. Every
 * violation names its field path, so the first one can go straight into the Valid condition.
 */
public final class MenuValidation {
    private MenuValidation() {}

    /** Every violation, in field order; empty when the menu can be published to these stores. */
    public static List<String> violations(MenuSpec spec, List<Store> stores) {
        List<String> out = new ArrayList<>();
        if (spec == null) {
            out.add("spec: must be set");
            return out;
        }
        Set<String> categories = new HashSet<>();
        List<MenuCategory> cats = nonNull(spec.getCategories());
        if (cats.isEmpty()) {
            out.add("spec.categories: at least one category is required");
        }
        for (int i = 0; i < cats.size(); i++) {
            String code = cats.get(i).getCode();
            if (blank(code)) {
                out.add("spec.categories[" + i + "].code: must not be empty");
            } else if (!categories.add(code)) {
                out.add("spec.categories[" + i + "].code: '" + code + "' is used twice");
            }
        }
        List<MenuItem> items = nonNull(spec.getItems());
        if (items.isEmpty()) {
            out.add("spec.items: at least one item is required");
        }
        Set<String> spus = new HashSet<>();
        // SKU and combo codes share one namespace: a diner orders either by its code.
        Set<String> orderable = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            MenuItem item = items.get(i);
            String path = "spec.items[" + i + "]";
            if (blank(item.getSpuCode())) {
                out.add(path + ".spuCode: must not be empty");
            } else if (!spus.add(item.getSpuCode())) {
                out.add(path + ".spuCode: '" + item.getSpuCode() + "' is used twice");
            }
            if (!categories.contains(item.getCategory())) {
                out.add(
                        path
                                + ".category: '"
                                + item.getCategory()
                                + "' is not one of spec.categories[].code "
                                + categories.stream().sorted().toList());
            }
            for (Store store : stores) {
                Set<String> stations = stations(store);
                if (!stations.contains(item.getStation())) {
                    out.add(
                            path
                                    + ".station: '"
                                    + item.getStation()
                                    + "' is not a station of Store "
                                    + store.getMetadata().getName()
                                    + " "
                                    + stations.stream().sorted().toList());
                }
            }
            if (item.getPrepMinutes() != null
                    && (item.getPrepMinutes() < 0 || item.getPrepMinutes() > 240)) {
                out.add(path + ".prepMinutes: must be 0-240, got " + item.getPrepMinutes());
            }
            List<Sku> skus = nonNull(item.getSkus());
            if (skus.isEmpty()) {
                out.add(path + ".skus: at least one SKU is required");
            }
            for (int k = 0; k < skus.size(); k++) {
                Sku sku = skus.get(k);
                String skuPath = path + ".skus[" + k + "]";
                if (blank(sku.getSkuCode())) {
                    out.add(skuPath + ".skuCode: must not be empty");
                } else if (!orderable.add(sku.getSkuCode())) {
                    out.add(
                            skuPath
                                    + ".skuCode: '"
                                    + sku.getSkuCode()
                                    + "' is used twice in the menu");
                }
                if (sku.getPriceFen() == null || sku.getPriceFen() <= 0) {
                    out.add(skuPath + ".priceFen: must be > 0, got " + sku.getPriceFen());
                }
                if (sku.getCostFen() != null && sku.getCostFen() < 0) {
                    out.add(skuPath + ".costFen: must be >= 0, got " + sku.getCostFen());
                }
            }
            List<AvailabilityWindow> windows = nonNull(item.getAvailability());
            for (int w = 0; w < windows.size(); w++) {
                AvailabilityWindow window = windows.get(w);
                String windowPath = path + ".availability[" + w + "]";
                if (nonNull(window.getDays()).isEmpty()) {
                    out.add(windowPath + ".days: at least one day is required");
                }
                if (MenuContent.minuteOfDay(window.getFrom()) < 0) {
                    out.add(windowPath + ".from: must be HH:mm, got '" + window.getFrom() + "'");
                } else if (MenuContent.minuteOfDay(window.getTo()) < 0) {
                    out.add(windowPath + ".to: must be HH:mm, got '" + window.getTo() + "'");
                } else if (window.getFrom().equals(window.getTo())) {
                    out.add(windowPath + ".to: must differ from from (" + window.getFrom() + ")");
                }
            }
        }
        Set<String> skuCodes =
                items.stream()
                        .flatMap(i -> nonNull(i.getSkus()).stream())
                        .map(Sku::getSkuCode)
                        .collect(Collectors.toSet());
        List<Combo> combos = nonNull(spec.getCombos());
        for (int c = 0; c < combos.size(); c++) {
            Combo combo = combos.get(c);
            String path = "spec.combos[" + c + "]";
            if (blank(combo.getCode())) {
                out.add(path + ".code: must not be empty");
            } else if (!orderable.add(combo.getCode())) {
                out.add(
                        path
                                + ".code: '"
                                + combo.getCode()
                                + "' is already used by another combo or a SKU");
            }
            if (combo.getPriceFen() == null || combo.getPriceFen() <= 0) {
                out.add(path + ".priceFen: must be > 0, got " + combo.getPriceFen());
            }
            List<ComboComponent> parts = nonNull(combo.getComponents());
            if (parts.isEmpty()) {
                out.add(path + ".components: at least one component is required");
            }
            for (int k = 0; k < parts.size(); k++) {
                ComboComponent part = parts.get(k);
                String partPath = path + ".components[" + k + "]";
                if (!skuCodes.contains(part.getSkuCode())) {
                    out.add(
                            partPath
                                    + ".skuCode: '"
                                    + part.getSkuCode()
                                    + "' is not a SKU of any item");
                }
                if (part.getQuantity() != null && part.getQuantity() < 1) {
                    out.add(partPath + ".quantity: must be >= 1, got " + part.getQuantity());
                }
            }
        }
        return out;
    }

    private static Set<String> stations(Store store) {
        if (store.getSpec() == null) {
            return Set.of();
        }
        return nonNull(store.getSpec().getStations()).stream()
                .map(Station::getName)
                .collect(Collectors.toSet());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static <T> List<T> nonNull(List<T> list) {
        return list == null ? List.of() : list;
    }
}
