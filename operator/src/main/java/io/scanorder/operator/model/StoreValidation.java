package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.ServingSpec;
import io.scanorder.crds.v1alpha1.StoreSpec;

/**
 * Checks the parts of a Store spec the desired objects are built from. The CRD schema enforces the
 * same rules on a real API server; a Store that bypassed it (an old CRD, or the mock API server in
 * tests) gets an {@link IllegalArgumentException} whose message starts with the field path, instead
 * of a NullPointerException or a broken Deployment.
 */
public final class StoreValidation {
    static final int MAX_REPLICAS = 20;
    static final int MAX_PEAK_ORDERS_PER_SECOND = 10_000;

    private StoreValidation() {}

    /** Throws naming the first invalid field; returns the spec otherwise. */
    public static StoreSpec requireValid(StoreSpec spec) {
        require(spec, "spec");
        require(spec.getStoreCode(), "spec.storeCode");
        require(spec.getAreas(), "spec.areas");
        require(spec.getStations(), "spec.stations");
        for (int i = 0; i < spec.getAreas().size(); i++) {
            require(spec.getAreas().get(i).getTables(), "spec.areas[" + i + "].tables");
        }
        require(spec.getPayment(), "spec.payment");
        require(spec.getPayment().getMode(), "spec.payment.mode");
        require(spec.getPayment().getMerchantSecretRef(), "spec.payment.merchantSecretRef");
        require(spec.getDinerSecretRef(), "spec.dinerSecretRef");
        ServingSpec serving = spec.getServing();
        if (serving != null) {
            range(serving.getReplicas(), 1, MAX_REPLICAS, "spec.serving.replicas");
            range(
                    serving.getPeakOrdersPerSecond(),
                    1,
                    MAX_PEAK_ORDERS_PER_SECOND,
                    "spec.serving.peakOrdersPerSecond");
        }
        return spec;
    }

    private static void require(Object value, String path) {
        if (value == null) {
            throw new IllegalArgumentException(path + " is required");
        }
    }

    private static void range(Integer value, int min, int max, String path) {
        if (value != null && (value < min || value > max)) {
            throw new IllegalArgumentException(
                    path + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
