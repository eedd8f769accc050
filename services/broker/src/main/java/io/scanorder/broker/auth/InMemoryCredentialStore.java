package io.scanorder.broker.auth;

import io.scanorder.broker.topic.Principal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Thread-safe credential store in memory; can be changed while the broker runs. */
public final class InMemoryCredentialStore implements CredentialStore {

    private final Map<String, Credential> byUsername = new ConcurrentHashMap<>();

    @Override
    public Optional<Credential> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(byUsername.get(username));
    }

    /** Adds or replaces the credential of its principal's username. */
    public InMemoryCredentialStore put(Credential credential) {
        byUsername.put(credential.principal().username(), credential);
        return this;
    }

    /** Adds or replaces a user, hashing {@code password} with {@code iterations} rounds. */
    public InMemoryCredentialStore put(Principal principal, char[] password, int iterations) {
        return put(new Credential(principal, PasswordHash.create(password, iterations)));
    }

    public InMemoryCredentialStore put(Principal principal, char[] password) {
        return put(principal, password, PasswordHash.DEFAULT_ITERATIONS);
    }

    /** Adds every credential; a later entry for the same username replaces an earlier one. */
    public InMemoryCredentialStore putAll(Collection<Credential> credentials) {
        credentials.forEach(this::put);
        return this;
    }

    public boolean remove(String username) {
        return byUsername.remove(username) != null;
    }

    public List<Credential> all() {
        return List.copyOf(byUsername.values());
    }
}
