package io.scanorder.broker.auth;

import io.scanorder.broker.topic.Principal;
import java.util.Objects;

/** One user the broker knows: who it is and the hash of its password. */
public record Credential(Principal principal, PasswordHash passwordHash) {
    public Credential {
        Objects.requireNonNull(principal, "principal");
        Objects.requireNonNull(passwordHash, "passwordHash");
    }
}
