package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.StoreConfig;

/** The store ConfigMap; owned by the Store, so deleting the Store deletes it. */
public class StoreConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, Store> {

    public StoreConfigMapDependent() {
        super(ConfigMap.class);
    }

    @Override
    protected ConfigMap desired(Store store, Context<Store> context) {
        return StoreConfig.desiredConfigMap(store);
    }
}
