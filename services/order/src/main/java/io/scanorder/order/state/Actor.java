package io.scanorder.order.state;

import java.util.Objects;

/**
 * Who causes a change: a kind and an identifier within it (openid, staff login, service name).
 *
 * @param kind what kind of party acts
 * @param id non-blank identifier within the kind, at most 128 characters
 */
public record Actor(ActorKind kind, String id) {
    /** Identifier used for changes the platform makes on its own (e.g. payment timeouts). */
    public static final Actor PAYMENT_TIMEOUT = new Actor(ActorKind.SYSTEM, "payment-timeout");

    public Actor {
        Objects.requireNonNull(kind, "actor.kind");
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("actor.id must not be blank");
        }
        if (id.length() > 128) {
            throw new IllegalArgumentException(
                    "actor.id must be at most 128 characters, got " + id.length());
        }
    }

    @Override
    public String toString() {
        return kind + ":" + id;
    }
}
