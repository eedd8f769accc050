package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.scanorder.crds.v1alpha1.Area;
import io.scanorder.crds.v1alpha1.PaymentSpec;
import io.scanorder.crds.v1alpha1.Station;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.crds.v1alpha1.StoreSpec;
import io.scanorder.crds.v1alpha1.Tables;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Desired store ConfigMap: flat keys the order and payment services read as configuration. Values
 * the API server defaults are defaulted here too, so a Store built in code gives the same result.
 */
public final class StoreConfig {
    static final String DEFAULT_ORDER_TIMEOUT = "15m";
    static final int DEFAULT_SEATS = 4;

    private StoreConfig() {}

    /** The ConfigMap for the store, in the store's namespace, without owner reference. */
    public static ConfigMap desiredConfigMap(Store store) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(StoreNames.configMapName(store))
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(StoreNames.labels(store, "store-config"))
                .endMetadata()
                .withData(data(store.getSpec()))
                .build();
    }

    /**
     * A short digest of the store configuration. The service pods carry it as an annotation, so a
     * configuration change rolls them (environment variables from a ConfigMap are read only at
     * start).
     */
    public static String checksum(Store store) {
        try {
            byte[] digest =
                    java.security.MessageDigest.getInstance("SHA-256")
                            .digest(
                                    data(store.getSpec())
                                            .toString()
                                            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Total number of tables over all areas. */
    public static int tableCount(StoreSpec spec) {
        if (spec.getAreas() == null) {
            throw new IllegalArgumentException("spec.areas is required");
        }
        return spec.getAreas().stream().mapToInt(a -> tableNumbers(a.getTables()).size()).sum();
    }

    /** Table numbers of an area: 1..count, or the explicit numbers in ascending order. */
    public static List<Integer> tableNumbers(Tables tables) {
        if (tables.getNumbers() != null) {
            return tables.getNumbers().stream().sorted().toList();
        }
        int count = tables.getCount() == null ? 0 : tables.getCount();
        return java.util.stream.IntStream.rangeClosed(1, count).boxed().toList();
    }

    static Map<String, String> data(StoreSpec spec) {
        StoreValidation.requireValid(spec);
        // Sorted keys keep the ConfigMap byte-stable, so an unchanged spec never triggers an
        // update.
        Map<String, String> data = new TreeMap<>();
        data.put("store.code", spec.getStoreCode());
        data.put("store.name", spec.getName());
        data.put("store.timezone", spec.getTimezone());
        data.put("store.menu", spec.getMenuRef());
        data.put(
                "kitchen.stations",
                spec.getStations().stream().map(Station::getName).collect(Collectors.joining(",")));
        data.put("store.table-count", Integer.toString(tableCount(spec)));
        for (Area area : spec.getAreas()) {
            String prefix = "area." + area.getCode() + ".";
            data.put(prefix + "name", area.getName());
            data.put(prefix + "tables", describe(area.getTables()));
            data.put(
                    prefix + "seats",
                    Integer.toString(area.getSeats() == null ? DEFAULT_SEATS : area.getSeats()));
        }
        PaymentSpec payment = spec.getPayment();
        data.put("payment.mode", payment.getMode().name().toLowerCase().replace('_', '-'));
        data.put(
                "order.timeout",
                payment.getOrderTimeout() == null
                        ? DEFAULT_ORDER_TIMEOUT
                        : payment.getOrderTimeout());
        if (payment.getMaxOrderAmountFen() != null) {
            data.put("order.max-amount-fen", payment.getMaxOrderAmountFen().toString());
        }
        return data;
    }

    /** "1-24" for a count, "801,802,805" for explicit numbers. */
    private static String describe(Tables tables) {
        if (tables.getNumbers() != null) {
            return tableNumbers(tables).stream()
                    .map(String::valueOf)
                    .collect(Collectors.joining(","));
        }
        return "1-" + tables.getCount();
    }
}
