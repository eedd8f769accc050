package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.Store;
import java.util.LinkedHashMap;
import java.util.Map;

/** Names and labels of the objects the operator owns for a {@link Store}. */
public final class StoreNames {
    public static final String PART_OF = "app.kubernetes.io/part-of";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String STORE = "scanorder.io/store";
    public static final String STORE_CODE = "scanorder.io/store-code";
    public static final String OPERATOR = "scanorder-operator";

    private StoreNames() {}

    /** Name of the ConfigMap holding the store configuration the services read. */
    public static String configMapName(Store store) {
        return store.getMetadata().getName() + "-config";
    }

    /** Labels on every object owned by the store; {@code component} says which part it is. */
    public static Map<String, String> labels(Store store, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(PART_OF, "scanorder");
        labels.put(MANAGED_BY, OPERATOR);
        labels.put(COMPONENT, component);
        labels.put(STORE, store.getMetadata().getName());
        labels.put(STORE_CODE, store.getSpec().getStoreCode());
        return labels;
    }
}
