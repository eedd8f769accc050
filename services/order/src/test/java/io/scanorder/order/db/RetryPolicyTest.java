package io.scanorder.order.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy =
            new RetryPolicy(6, Duration.ofMillis(20), Duration.ofMillis(300));

    @RepeatedTest(20)
    void backoffDoublesWithJitterAndIsCapped() {
        assertThat(policy.backoffAfter(1).toMillis()).isBetween(10L, 20L);
        assertThat(policy.backoffAfter(2).toMillis()).isBetween(20L, 40L);
        assertThat(policy.backoffAfter(3).toMillis()).isBetween(40L, 80L);
        assertThat(policy.backoffAfter(10).toMillis()).isBetween(150L, 300L);
        assertThat(policy.backoffAfter(60).toMillis()).isBetween(150L, 300L);
    }

    @Test
    void refusesAPolicyWithoutAttempts() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("max-attempts must be at least 1, was 0");
    }

    @Test
    void refusesAMaximumBelowTheInitialBackoff() {
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("initial-backoff (PT2S) <= max-backoff (PT1S)");
    }
}
