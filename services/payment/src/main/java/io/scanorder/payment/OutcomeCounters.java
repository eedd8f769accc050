package io.scanorder.payment;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * One Prometheus counter per outcome of a background job, tagged {@code result=<outcome in lower
 * case>}, all registered up front so every series exists (at 0) before the first round.
 *
 * @param <E> the job's outcomes
 */
public final class OutcomeCounters<E extends Enum<E>> {
    private final Map<E, Counter> counters;

    private OutcomeCounters(Map<E, Counter> counters) {
        this.counters = counters;
    }

    /** Registers {@code name{result}} for every constant of {@code outcomes}. */
    public static <E extends Enum<E>> OutcomeCounters<E> register(
            MeterRegistry registry, String name, String description, Class<E> outcomes) {
        Map<E, Counter> counters = new EnumMap<>(outcomes);
        for (E outcome : outcomes.getEnumConstants()) {
            counters.put(
                    outcome,
                    Counter.builder(name)
                            .description(description)
                            .tag("result", outcome.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        return new OutcomeCounters<>(counters);
    }

    /** Counts one {@code outcome}. */
    public void count(E outcome) {
        counters.get(outcome).increment();
    }
}
