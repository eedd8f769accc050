package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.Area;
import io.scanorder.crds.v1alpha1.PaymentSpec;
import io.scanorder.crds.v1alpha1.Station;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.crds.v1alpha1.StoreSpec;
import io.scanorder.proto.order.v1.DiningArea;
import io.scanorder.proto.order.v1.StoreDefinition;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Store spec as the order service's StoreAdmin contract ({@code StoreDefinition}) and the content
 * hash it is applied by. Plain data, no gRPC or Kubernetes client code.
 */
public final class StoreDefinitions {
    private static final Pattern DURATION =
            Pattern.compile("(?:([0-9]+)h)?(?:([0-9]+)m)?(?:([0-9]+)s)?");

    private StoreDefinitions() {}

    /** The store's areas, tables, stations and order settings in the contract's terms. */
    public static StoreDefinition toProto(Store store) {
        StoreSpec spec = StoreValidation.requireValid(store.getSpec());
        StoreDefinition.Builder b =
                StoreDefinition.newBuilder()
                        .setStoreCode(spec.getStoreCode())
                        .setName(s(spec.getName()))
                        .setTimezone(s(spec.getTimezone()));
        for (Area area : spec.getAreas()) {
            b.addAreas(
                    DiningArea.newBuilder()
                            .setAreaCode(s(area.getCode()))
                            .setName(s(area.getName()))
                            .setSeats(
                                    area.getSeats() == null
                                            ? StoreConfig.DEFAULT_SEATS
                                            : area.getSeats())
                            .addAllTableNumbers(StoreConfig.tableNumbers(area.getTables())));
        }
        spec.getStations().stream()
                .map(Station::getName)
                .map(StoreDefinitions::s)
                .forEach(b::addStations);
        PaymentSpec payment = spec.getPayment();
        b.setPaymentTimeoutSeconds(
                orderTimeoutSeconds(
                        payment.getOrderTimeout() == null
                                ? StoreConfig.DEFAULT_ORDER_TIMEOUT
                                : payment.getOrderTimeout()));
        b.setMaxOrderAmountFen(
                payment.getMaxOrderAmountFen() == null ? 0 : payment.getMaxOrderAmountFen());
        return b.build();
    }

    /**
     * The content hash the order service stores the definition under (contract: ApplyStoreRequest):
     * areas by code, table numbers ascending, stations sorted, then the canonical JSON's SHA-256.
     */
    public static String contentHash(StoreDefinition store) {
        return CanonicalJson.sha256(normalize(store));
    }

    /** The definition in canonical order. */
    static StoreDefinition normalize(StoreDefinition store) {
        List<DiningArea> areas =
                store.getAreasList().stream()
                        .map(
                                a ->
                                        a.toBuilder()
                                                .clearTableNumbers()
                                                .addAllTableNumbers(
                                                        a.getTableNumbersList().stream()
                                                                .sorted()
                                                                .toList())
                                                .build())
                        .sorted(Comparator.comparing(DiningArea::getAreaCode))
                        .toList();
        return store.toBuilder()
                .clearAreas()
                .addAllAreas(areas)
                .clearStations()
                .addAllStations(store.getStationsList().stream().sorted().toList())
                .build();
    }

    /** Seconds of a {@code spec.payment.orderTimeout} such as "15m", "1h30m" or "90s". */
    static int orderTimeoutSeconds(String value) {
        Matcher m = DURATION.matcher(value);
        if (value.isEmpty() || !m.matches()) {
            throw new IllegalArgumentException(
                    "spec.payment.orderTimeout must look like 15m, 1h30m or 90s, was '"
                            + value
                            + "'");
        }
        long seconds = part(m, 1) * 3600 + part(m, 2) * 60 + part(m, 3);
        if (seconds > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "spec.payment.orderTimeout is too long: '" + value + "'");
        }
        return (int) seconds;
    }

    private static long part(Matcher m, int group) {
        String v = m.group(group);
        return v == null ? 0 : Long.parseLong(v);
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }
}
