package io.scanorder.order.db;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded, jittered exponential backoff for serialization failures.
 *
 * @param maxAttempts attempts in total, including the first (at least 1)
 * @param initialBackoff backoff before the first retry
 * @param maxBackoff upper bound of one backoff
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException(
                    "scanorder.order.transactions.max-attempts must be at least 1, was "
                            + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "backoff must satisfy 0 <= initial-backoff ("
                            + initialBackoff
                            + ") <= max-backoff ("
                            + maxBackoff
                            + ")");
        }
    }

    /**
     * Backoff before the retry that follows failed attempt {@code attempt} (1-based): a random
     * value between half and all of {@code initial * 2^(attempt-1)}, capped at the maximum. The
     * jitter keeps two transactions that conflicted from colliding again in lockstep.
     */
    public Duration backoffAfter(int attempt) {
        long initial = initialBackoff.toMillis();
        long ceiling = Math.min(maxBackoff.toMillis(), initial << Math.min(attempt - 1, 20));
        if (ceiling <= 0) {
            return Duration.ZERO;
        }
        long floor = ceiling / 2;
        return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
    }
}
