package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place status conditions are written. Callers set every condition they own for this round;
 * {@link #build()} adds {@code Ready} computed from them, stamps {@code observedGeneration}, and
 * keeps the previous {@code lastTransitionTime} unless the status or message of that condition
 * really changed.
 */
public final class StatusAggregator {
    private final Map<String, Condition> previous = new LinkedHashMap<>();
    private final Map<String, Condition> current = new LinkedHashMap<>();
    private final Long generation;
    private final Clock clock;

    /**
     * @param previous conditions currently in the status (may be null)
     * @param generation metadata.generation of the resource being reconciled
     */
    public StatusAggregator(List<Condition> previous, Long generation, Clock clock) {
        if (previous != null) {
            previous.forEach(c -> this.previous.put(c.getType(), c));
        }
        this.generation = generation;
        this.clock = clock;
    }

    /** Sets a condition for this round; setting the same type again replaces it. */
    public StatusAggregator set(
            String type, ConditionStatus status, String reason, String message) {
        if (ConditionType.READY.equals(type)) {
            throw new IllegalArgumentException("Ready is computed from the other conditions");
        }
        current.put(type, new Condition(type, status, reason, message));
        return this;
    }

    /** Sets a condition computed elsewhere (type, status, reason, message are taken from it). */
    public StatusAggregator set(Condition condition) {
        return set(
                condition.getType(),
                condition.getStatus(),
                condition.getReason(),
                condition.getMessage());
    }

    /**
     * The conditions set this round, followed by Ready: False if any is False, else Unknown if any
     * is Unknown, else True.
     */
    public List<Condition> build() {
        List<Condition> result = new ArrayList<>();
        current.values().forEach(c -> result.add(stamp(c)));
        result.add(stamp(ready()));
        return result;
    }

    private Condition ready() {
        for (ConditionStatus worst : List.of(ConditionStatus.False, ConditionStatus.Unknown)) {
            for (Condition c : current.values()) {
                if (c.getStatus() == worst) {
                    return new Condition(
                            ConditionType.READY,
                            worst,
                            c.getType() + (worst == ConditionStatus.False ? "False" : "Unknown"),
                            c.getType() + ": " + c.getMessage());
                }
            }
        }
        return new Condition(
                ConditionType.READY, ConditionStatus.True, "AllReady", "all conditions are True");
    }

    private Condition stamp(Condition c) {
        c.setObservedGeneration(generation);
        Condition before = previous.get(c.getType());
        boolean unchanged =
                before != null
                        && before.getStatus() == c.getStatus()
                        && Objects.equals(before.getMessage(), c.getMessage())
                        && before.getLastTransitionTime() != null;
        c.setLastTransitionTime(
                unchanged
                        ? before.getLastTransitionTime()
                        : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString());
        return c;
    }
}
