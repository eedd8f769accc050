package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.NetworkPolicies;

/** NetworkPolicy letting only the store's order service (and monitoring, ingress) reach payment. */
public class PaymentNetworkPolicyDependent
        extends CRUDKubernetesDependentResource<NetworkPolicy, Store> {

    public PaymentNetworkPolicyDependent() {
        super(NetworkPolicy.class);
    }

    @Override
    protected NetworkPolicy desired(Store store, Context<Store> context) {
        return NetworkPolicies.paymentNetworkPolicy(store);
    }
}
