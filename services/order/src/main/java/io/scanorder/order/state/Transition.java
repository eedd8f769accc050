package io.scanorder.order.state;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * One allowed move of the order state machine: from, to, which kinds of actor may make it and what
 * triggers it.
 *
 * @param from state before
 * @param to state after
 * @param actors kinds of actor allowed to make the move (never empty)
 * @param trigger what causes it, in a few words (documented in docs/order-states.md)
 */
public record Transition(OrderState from, OrderState to, Set<ActorKind> actors, String trigger) {
    public Transition {
        if (actors.isEmpty()) {
            throw new IllegalArgumentException(from + " -> " + to + " names no actor");
        }
        actors = Collections.unmodifiableSet(EnumSet.copyOf(actors));
    }
}
