package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import java.util.List;

/** Turns a service Deployment's status into a Store condition (OrderServiceReady, ...). */
public final class ServiceReadiness {
    private ServiceReadiness() {}

    /**
     * True when every desired replica is ready; Unknown while the Deployment or its status is
     * missing; False otherwise, with the reason of the Deployment's failing condition (e.g.
     * ProgressDeadlineExceeded, MinimumReplicasUnavailable) or ReplicasNotReady.
     */
    public static Condition condition(String type, Deployment deployment) {
        if (deployment == null) {
            return new Condition(
                    type, ConditionStatus.Unknown, "DeploymentPending", "not created yet");
        }
        String name = "Deployment " + deployment.getMetadata().getName();
        DeploymentStatus status = deployment.getStatus();
        if (status == null
                || (status.getReplicas() == null && status.getObservedGeneration() == null)) {
            return new Condition(
                    type, ConditionStatus.Unknown, "StatusPending", name + " has no status yet");
        }
        int desired =
                deployment.getSpec() == null || deployment.getSpec().getReplicas() == null
                        ? 1
                        : deployment.getSpec().getReplicas();
        int ready = status.getReadyReplicas() == null ? 0 : status.getReadyReplicas();
        String counts = name + ": " + ready + "/" + desired + " replicas ready";
        if (ready >= desired && desired > 0) {
            return new Condition(type, ConditionStatus.True, "Available", counts);
        }
        List<DeploymentCondition> conditions =
                status.getConditions() == null ? List.of() : status.getConditions();
        for (String kind : List.of("Progressing", "Available", "ReplicaFailure")) {
            for (DeploymentCondition c : conditions) {
                boolean failing =
                        kind.equals("ReplicaFailure")
                                ? "True".equals(c.getStatus())
                                : "False".equals(c.getStatus());
                if (kind.equals(c.getType()) && failing) {
                    return new Condition(
                            type,
                            ConditionStatus.False,
                            c.getReason() == null ? kind + "Failed" : c.getReason(),
                            counts + (c.getMessage() == null ? "" : "; " + c.getMessage()));
                }
            }
        }
        return new Condition(type, ConditionStatus.False, "ReplicasNotReady", counts);
    }
}
