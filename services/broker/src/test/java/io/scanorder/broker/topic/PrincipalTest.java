package io.scanorder.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.broker.topic.Principal.Role;
import org.junit.jupiter.api.Test;

class PrincipalTest {

    @Test
    void deviceNeedsValidIdAndStoreCode() {
        assertThat(Principal.device("001", "A").deviceId()).isEqualTo("A");
        assertThatThrownBy(() -> Principal.device("1", "A"))
                .hasMessageContaining("3-digit store code but has '1'");
        assertThatThrownBy(() -> Principal.device("001", "a+b"))
                .hasMessageContaining("valid device id")
                .hasMessageContaining("'a+b'");
        assertThatThrownBy(() -> Principal.device("001", "#")).hasMessageContaining("'#'");
    }

    @Test
    void serviceAccountHasNoStore() {
        assertThatThrownBy(() -> new Principal("order-service", Role.SERVICE, "001"))
                .hasMessageContaining("must not have a store code");
        assertThatThrownBy(() -> Principal.service("svc/x"))
                .hasMessageContaining("service account name");
    }
}
