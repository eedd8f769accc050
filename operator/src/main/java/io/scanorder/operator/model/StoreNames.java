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

    /**
     * Name of the Secret with the order service's broker account ({@code username}, {@code
     * password}), which the order Deployment reads.
     */
    public static String orderBrokerSecretName(Store store) {
        return store.getMetadata().getName() + "-order-broker";
    }

    /** Name of the Secret with the payment service's data encryption and lookup keys. */
    public static String paymentDataSecretName(Store store) {
        return store.getMetadata().getName() + "-payment-data";
    }

    /**
     * Name of the Secret the broker reads that account's hashed credential line from. Not {@code
     * -broker-credential}, the suffix of a KitchenDevice's broker Secret, so a device named {@code
     * <store>-order} cannot collide with it.
     */
    public static String orderBrokerHashSecretName(Store store) {
        return store.getMetadata().getName() + "-order-broker-hash";
    }

    /**
     * The labels a Deployment selects its pods by, and a NetworkPolicy or PodDisruptionBudget the
     * pods of one service of one store by. Only the store name and component: selectors are
     * immutable, and the store code may be edited.
     */
    public static Map<String, String> selectorLabels(Store store, String component) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(COMPONENT, component);
        labels.put(STORE, store.getMetadata().getName());
        return labels;
    }

    /**
     * Addresses of the store's order service, as published in the status: {@code orderGrpc} (host
     * and port) and {@code orderHttp} (URL).
     */
    public static Map<String, String> endpoints(Store store) {
        Map<String, String> endpoints = new LinkedHashMap<>();
        endpoints.put("orderGrpc", StoreService.ORDER.host(store) + ":" + StoreService.GRPC_PORT);
        endpoints.put(
                "orderHttp",
                "http://" + StoreService.ORDER.host(store) + ":" + StoreService.HTTP_PORT);
        return endpoints;
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
