package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import org.junit.jupiter.api.Test;

class ServiceReadinessTest {

    @Test
    void missingDeploymentOrStatusIsUnknown() {
        assertThat(ServiceReadiness.condition("OrderServiceReady", null))
                .extracting(Condition::getStatus, Condition::getReason)
                .containsExactly(ConditionStatus.Unknown, "DeploymentPending");
        assertThat(ServiceReadiness.condition("OrderServiceReady", deployment(2, null)))
                .extracting(Condition::getStatus, Condition::getReason, Condition::getMessage)
                .containsExactly(
                        ConditionStatus.Unknown,
                        "StatusPending",
                        "Deployment jingan-order has no status yet");
    }

    @Test
    void allDesiredReplicasReadyIsTrue() {
        Condition condition =
                ServiceReadiness.condition(
                        "OrderServiceReady",
                        deployment(
                                2,
                                new DeploymentStatusBuilder()
                                        .withReplicas(2)
                                        .withReadyReplicas(2)
                                        .build()));

        assertThat(condition.getType()).isEqualTo("OrderServiceReady");
        assertThat(condition.getStatus()).isEqualTo(ConditionStatus.True);
        assertThat(condition.getReason()).isEqualTo("Available");
        assertThat(condition.getMessage()).isEqualTo("Deployment jingan-order: 2/2 replicas ready");
    }

    @Test
    void failingDeploymentConditionGivesTheReason() {
        Condition condition =
                ServiceReadiness.condition(
                        "PaymentServiceReady",
                        deployment(
                                2,
                                new DeploymentStatusBuilder()
                                        .withReplicas(2)
                                        .withReadyReplicas(1)
                                        .addNewCondition()
                                        .withType("Available")
                                        .withStatus("True")
                                        .endCondition()
                                        .addNewCondition()
                                        .withType("Progressing")
                                        .withStatus("False")
                                        .withReason("ProgressDeadlineExceeded")
                                        .withMessage("ReplicaSet has timed out progressing.")
                                        .endCondition()
                                        .build()));

        assertThat(condition.getStatus()).isEqualTo(ConditionStatus.False);
        assertThat(condition.getReason()).isEqualTo("ProgressDeadlineExceeded");
        assertThat(condition.getMessage())
                .isEqualTo(
                        "Deployment jingan-order: 1/2 replicas ready; ReplicaSet has timed out"
                                + " progressing.");
    }

    @Test
    void notEnoughReadyReplicasWithoutAFailingConditionIsReplicasNotReady() {
        Condition condition =
                ServiceReadiness.condition(
                        "OrderServiceReady",
                        deployment(3, new DeploymentStatusBuilder().withReplicas(3).build()));

        assertThat(condition.getStatus()).isEqualTo(ConditionStatus.False);
        assertThat(condition.getReason()).isEqualTo("ReplicasNotReady");
        assertThat(condition.getMessage()).isEqualTo("Deployment jingan-order: 0/3 replicas ready");
    }

    private static Deployment deployment(int replicas, DeploymentStatus status) {
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName("jingan-order")
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .endSpec()
                .withStatus(status)
                .build();
    }
}
