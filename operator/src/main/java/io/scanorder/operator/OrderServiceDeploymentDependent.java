package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.OperatorConfig;
import io.scanorder.operator.model.ServiceWorkloads;
import io.scanorder.operator.model.StoreService;

/** The order service's Deployment; keeps the replicas the autoscaler chose. */
public class OrderServiceDeploymentDependent
        extends CRUDKubernetesDependentResource<Deployment, Store>
        implements ConfiguredDependents.UsesOperatorConfig {
    private volatile OperatorConfig config = OperatorConfig.fromEnv(System.getenv());

    public OrderServiceDeploymentDependent() {
        super(Deployment.class);
    }

    @Override
    public void use(OperatorConfig config) {
        this.config = config;
    }

    @Override
    protected Deployment desired(Store store, Context<Store> context) {
        return ServiceWorkloads.deployment(
                store,
                StoreService.ORDER,
                config,
                Secondaries.byName(
                                context, Deployment.class, StoreService.ORDER.resourceName(store))
                        .map(d -> d.getSpec().getReplicas())
                        .orElse(null));
    }
}
