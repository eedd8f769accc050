package io.scanorder.operator;

import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.config.dependent.DependentResourceSpec;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResourceFactory;
import io.scanorder.operator.model.OperatorConfig;

/**
 * Creates the workflow's dependents as JOSDK does, then hands the operator's settings to those that
 * use them, so one {@link OperatorConfig} (from the environment, or a test's) reaches both the
 * Deployments and the StoreReconciler.
 */
@SuppressWarnings("rawtypes")
final class ConfiguredDependents
        implements DependentResourceFactory<ControllerConfiguration<?>, DependentResourceSpec> {

    /** A dependent whose desired state depends on the operator's settings. */
    interface UsesOperatorConfig {
        void use(OperatorConfig config);
    }

    private final OperatorConfig config;

    ConfiguredDependents(OperatorConfig config) {
        this.config = config;
    }

    @Override
    public void configure(
            DependentResource instance,
            DependentResourceSpec spec,
            ControllerConfiguration<?> controllerConfiguration) {
        DependentResourceFactory.super.configure(instance, spec, controllerConfiguration);
        if (instance instanceof UsesOperatorConfig dependent) {
            dependent.use(config);
        }
    }
}
