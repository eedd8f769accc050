package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.scanorder.crds.v1alpha1.Store;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Operator settings from the environment, and the Events it records. */
class OperatorConfigTest {

    @Test
    void defaultsNameTheProjectImages() {
        assertThat(OperatorConfig.defaults())
                .isEqualTo(
                        new OperatorConfig(
                                "ghcr.io/scanorder/order-service:0.1.0",
                                "ghcr.io/scanorder/payment-service:0.1.0",
                                "IfNotPresent"));
    }

    @Test
    void registryAndTagComposeImagesUnlessAFullImageIsGiven() {
        OperatorConfig config =
                OperatorConfig.fromEnv(
                        Map.of(
                                "SCANORDER_IMAGE_REGISTRY", "registry.lotus.cn/so",
                                "SCANORDER_IMAGE_TAG", "2.0.1",
                                "SCANORDER_PAYMENT_IMAGE", "registry.lotus.cn/pay@sha256:abc",
                                "SCANORDER_IMAGE_PULL_POLICY", "Always"));

        assertThat(config.orderImage()).isEqualTo("registry.lotus.cn/so/order-service:2.0.1");
        assertThat(config.paymentImage()).isEqualTo("registry.lotus.cn/pay@sha256:abc");
        assertThat(config.imagePullPolicy()).isEqualTo("Always");
    }

    @Test
    void badPullPolicyNamesTheVariableAndValue() {
        assertThatThrownBy(
                        () ->
                                OperatorConfig.fromEnv(
                                        Map.of("SCANORDER_IMAGE_PULL_POLICY", "sometimes")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "SCANORDER_IMAGE_PULL_POLICY must be one of Always, IfNotPresent, Never,"
                                + " was 'sometimes'");
        assertThatThrownBy(() -> OperatorConfig.fromEnv(Map.of("SCANORDER_ORDER_IMAGE", " ")))
                .hasMessage("SCANORDER_ORDER_IMAGE must not be blank");
    }

    @Test
    void invalidSpecEventIsAWarningOnTheStoreNamedPerGeneration() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        store.getMetadata().setUid("uid-1");
        store.getMetadata().setGeneration(4L);

        Event event =
                StoreEvents.invalidSpec(
                        store,
                        "spec.payment is required",
                        Clock.fixed(Instant.parse("2025-03-01T12:00:00.5Z"), ZoneOffset.UTC));

        assertThat(event.getMetadata().getName()).isEqualTo("jingan.invalid-spec.4");
        assertThat(event.getMetadata().getNamespace()).isEqualTo("lotus-kitchen");
        assertThat(event.getType()).isEqualTo("Warning");
        assertThat(event.getReason()).isEqualTo("InvalidSpec");
        assertThat(event.getMessage()).isEqualTo("spec.payment is required");
        assertThat(event.getInvolvedObject().getKind()).isEqualTo("Store");
        assertThat(event.getInvolvedObject().getApiVersion()).isEqualTo("scanorder.io/v1alpha1");
        assertThat(event.getInvolvedObject().getName()).isEqualTo("jingan");
        assertThat(event.getInvolvedObject().getUid()).isEqualTo("uid-1");
        assertThat(event.getSource().getComponent()).isEqualTo("scanorder-operator");
        assertThat(event.getFirstTimestamp()).isEqualTo("2025-03-01T12:00:00Z");
    }
}
