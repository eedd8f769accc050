package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrderServiceLinkTest {
    @Test
    void storesAreReachedThroughTheirOrderServiceUnlessOverridden() {
        var store =
                MenuValidationTest.example(
                        "store-jingan.yaml", io.scanorder.crds.v1alpha1.Store.class);
        store.getMetadata().setNamespace("lotus");
        assertThat(OrderServiceLink.defaults().target(store))
                .isEqualTo("jingan-order.lotus.svc:9000");
        assertThat(
                        OrderServiceLink.fromEnv(
                                        Map.of(OrderServiceLink.TARGET_ENV, "localhost:9100"))
                                .target(store))
                .isEqualTo("localhost:9100");
    }

    @Test
    void backoffDoublesFromOneSecondUpToTheConfiguredMaximum() {
        OrderServiceLink link =
                OrderServiceLink.fromEnv(Map.of(OrderServiceLink.RETRY_MAX_ENV, "10"));
        assertThat(link.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(link.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(link.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(link.backoff(5)).isEqualTo(Duration.ofSeconds(10));
        assertThat(link.backoff(50)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void badSettingsNameTheVariable() {
        assertThatThrownBy(
                        () ->
                                OrderServiceLink.fromEnv(
                                        Map.of(OrderServiceLink.MENU_RESYNC_ENV, "1m")))
                .hasMessage(
                        "SCANORDER_MENU_RESYNC_SECONDS must be a whole number of seconds, was '1m'");
        assertThatThrownBy(
                        () ->
                                OrderServiceLink.fromEnv(
                                        Map.of(OrderServiceLink.TARGET_ENV, "nohost")))
                .hasMessage("SCANORDER_ORDER_GRPC_TARGET must be host:port, was 'nohost'");
        assertThatThrownBy(
                        () ->
                                OperatorRuntime.fromEnv(
                                        Map.of(OperatorRuntime.LEADER_ELECTION_ENV, "yes")))
                .hasMessage("SCANORDER_LEADER_ELECTION must be true or false, was 'yes'");
    }

    @Test
    void operatorRuntimeDefaultsToOneReplicaOnPort8080() {
        OperatorRuntime runtime = OperatorRuntime.fromEnv(Map.of());
        assertThat(runtime.leaderElection()).isFalse();
        assertThat(runtime.httpPort()).isEqualTo(8080);
        assertThat(runtime.leaseName()).isEqualTo("scanorder-operator");
        assertThat(runtime.exitOnLostLease()).isTrue();
    }
}
