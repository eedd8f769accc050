package io.scanorder.broker.auth;

import io.scanorder.broker.topic.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A credential store whose whole content is swapped at once (by {@link CredentialWatcher}), so an
 * authentication never sees half of an old file and half of a new one.
 */
public final class ReloadableCredentialStore implements CredentialStore {

    /**
     * What one swap changed.
     *
     * @param added users that did not exist before
     * @param revoked users whose credential was removed or replaced (other password hash, role or
     *     store); their live sessions were authenticated with something no longer valid
     */
    public record Changes(List<Principal> added, List<Principal> revoked) {
        public Changes {
            added = List.copyOf(added);
            revoked = List.copyOf(revoked);
        }

        public boolean isEmpty() {
            return added.isEmpty() && revoked.isEmpty();
        }
    }

    private volatile Map<String, Credential> byUsername = Map.of();

    public ReloadableCredentialStore() {}

    public ReloadableCredentialStore(Collection<Credential> initial) {
        replaceAll(initial);
    }

    @Override
    public Optional<Credential> find(String username) {
        return username == null ? Optional.empty() : Optional.ofNullable(byUsername.get(username));
    }

    /**
     * Replaces every credential; a later entry for the same username wins, as in {@link
     * CredentialFile}.
     *
     * @return who was added and whose credential was revoked, for the old principal
     */
    public synchronized Changes replaceAll(Collection<Credential> credentials) {
        Map<String, Credential> next = new LinkedHashMap<>();
        for (Credential c : credentials) {
            next.put(c.principal().username(), c);
        }
        Map<String, Credential> previous = byUsername;
        List<Principal> added = new ArrayList<>();
        List<Principal> revoked = new ArrayList<>();
        for (Credential old : previous.values()) {
            Credential now = next.get(old.principal().username());
            if (now == null || !sameCredential(old, now)) {
                revoked.add(old.principal());
            }
        }
        for (Credential now : next.values()) {
            if (!previous.containsKey(now.principal().username())) {
                added.add(now.principal());
            }
        }
        byUsername = Map.copyOf(next);
        return new Changes(added, revoked);
    }

    public int size() {
        return byUsername.size();
    }

    private static boolean sameCredential(Credential a, Credential b) {
        return Objects.equals(a.principal(), b.principal())
                && a.passwordHash().encode().equals(b.passwordHash().encode());
    }
}
