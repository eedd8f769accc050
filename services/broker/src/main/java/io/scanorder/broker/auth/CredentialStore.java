package io.scanorder.broker.auth;

import java.util.Optional;

/** Looks up broker users by MQTT username. Implementations must be thread-safe. */
public interface CredentialStore {

    /** The credential of {@code username}, or empty if the broker does not know that user. */
    Optional<Credential> find(String username);
}
