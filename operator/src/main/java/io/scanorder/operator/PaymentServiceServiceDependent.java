package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.ServiceWorkloads;
import io.scanorder.operator.model.StoreService;

/** The payment service's ClusterIP Service (gRPC 9000, HTTP 8080). */
public class PaymentServiceServiceDependent
        extends CRUDKubernetesDependentResource<Service, Store> {

    public PaymentServiceServiceDependent() {
        super(Service.class);
    }

    @Override
    protected Service desired(Store store, Context<Store> context) {
        return ServiceWorkloads.service(store, StoreService.PAYMENT);
    }
}
