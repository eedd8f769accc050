package io.scanorder.broker.extension;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import io.scanorder.broker.topic.Principal;
import io.scanorder.broker.topic.Principal.Role;
import java.util.Optional;

/** Keeps the authenticated principal in HiveMQ's per-connection attribute store. */
final class ConnectionPrincipal {

    private static final String USER = "scanorder.user";
    private static final String ROLE = "scanorder.role";
    private static final String STORE = "scanorder.store";

    private ConnectionPrincipal() {}

    static void put(ConnectionAttributeStore attributes, Principal principal) {
        attributes.putAsString(USER, principal.username());
        attributes.putAsString(ROLE, principal.role().name());
        if (principal.storeCode() != null) {
            attributes.putAsString(STORE, principal.storeCode());
        }
    }

    static Optional<Principal> get(ConnectionAttributeStore attributes) {
        Optional<String> user = attributes.getAsString(USER);
        Optional<String> role = attributes.getAsString(ROLE);
        if (user.isEmpty() || role.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new Principal(
                        user.get(),
                        Role.valueOf(role.get()),
                        attributes.getAsString(STORE).orElse(null)));
    }
}
