package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.Store;

/** The two services the operator runs for every store. */
public enum StoreService {
    ORDER("order-service", "-order"),
    PAYMENT("payment-service", "-payment");

    /** gRPC API and the standard grpc.health.v1 service. */
    public static final int GRPC_PORT = 9000;

    /** /q/health, /q/metrics; on the payment service also the WeChat Pay notifications. */
    public static final int HTTP_PORT = 8080;

    private final String component;
    private final String suffix;

    StoreService(String component, String suffix) {
        this.component = component;
        this.suffix = suffix;
    }

    /** Value of the {@code app.kubernetes.io/component} label. */
    public String component() {
        return component;
    }

    /** Name of this service's Deployment, Service and PodDisruptionBudget for the store. */
    public String resourceName(Store store) {
        return store.getMetadata().getName() + suffix;
    }

    /** In-cluster DNS name of the Service; works whatever the cluster domain is. */
    public String host(Store store) {
        return resourceName(store) + "." + store.getMetadata().getNamespace() + ".svc";
    }
}
