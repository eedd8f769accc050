package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusAggregatorTest {
    static final Clock T0 = Clock.fixed(Instant.parse("2025-01-01T10:00:00Z"), ZoneOffset.UTC);
    static final Clock T1 = Clock.fixed(Instant.parse("2025-01-01T10:05:00Z"), ZoneOffset.UTC);

    @Test
    void readyIsTrueOnlyWhenEveryConditionIsTrue() {
        List<Condition> conditions =
                new StatusAggregator(null, 3L, T0)
                        .set("ConfigReady", ConditionStatus.True, "Applied", "ok")
                        .set("OrderServiceReady", ConditionStatus.True, "Available", "2/2")
                        .build();

        assertThat(conditions)
                .extracting(Condition::getType, Condition::getStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("ConfigReady", ConditionStatus.True),
                        org.assertj.core.groups.Tuple.tuple(
                                "OrderServiceReady", ConditionStatus.True),
                        org.assertj.core.groups.Tuple.tuple(
                                ConditionType.READY, ConditionStatus.True));
        assertThat(conditions)
                .allSatisfy(
                        c -> {
                            assertThat(c.getObservedGeneration()).isEqualTo(3L);
                            assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
                        });
    }

    @Test
    void falseOutranksUnknownAndReadyNamesTheFirstFailingCondition() {
        Condition ready =
                ready(
                        new StatusAggregator(null, 1L, T0)
                                .set(
                                        "OrderServiceReady",
                                        ConditionStatus.Unknown,
                                        "Pending",
                                        "starting")
                                .set(
                                        "PaymentServiceReady",
                                        ConditionStatus.False,
                                        "CrashLoop",
                                        "0/2 available")
                                .build());

        assertThat(ready.getStatus()).isEqualTo(ConditionStatus.False);
        assertThat(ready.getReason()).isEqualTo("PaymentServiceReadyFalse");
        assertThat(ready.getMessage()).isEqualTo("PaymentServiceReady: 0/2 available");
    }

    @Test
    void unknownConditionMakesReadyUnknown() {
        Condition ready =
                ready(
                        new StatusAggregator(null, 1L, T0)
                                .set("ConfigReady", ConditionStatus.True, "Applied", "ok")
                                .set(
                                        "OrderServiceReady",
                                        ConditionStatus.Unknown,
                                        "NotManagedYet",
                                        "later")
                                .build());

        assertThat(ready.getStatus()).isEqualTo(ConditionStatus.Unknown);
        assertThat(ready.getMessage()).isEqualTo("OrderServiceReady: later");
    }

    @Test
    void transitionTimeStaysWhenStatusAndMessageAreUnchanged() {
        List<Condition> first =
                new StatusAggregator(null, 1L, T0)
                        .set("ConfigReady", ConditionStatus.True, "Applied", "ok")
                        .build();

        List<Condition> second =
                new StatusAggregator(first, 2L, T1)
                        .set("ConfigReady", ConditionStatus.True, "AppliedAgain", "ok")
                        .build();

        assertThat(second)
                .allSatisfy(
                        c -> {
                            assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
                            assertThat(c.getObservedGeneration()).isEqualTo(2L);
                        });
        assertThat(second.get(0).getReason()).isEqualTo("AppliedAgain");
    }

    @Test
    void transitionTimeMovesWhenStatusOrMessageChanges() {
        List<Condition> first =
                new StatusAggregator(null, 1L, T0)
                        .set("ConfigReady", ConditionStatus.True, "Applied", "ok")
                        .set("OrderServiceReady", ConditionStatus.True, "Available", "2/2")
                        .build();

        List<Condition> second =
                new StatusAggregator(first, 1L, T1)
                        .set("ConfigReady", ConditionStatus.True, "Applied", "ok")
                        .set("OrderServiceReady", ConditionStatus.True, "Available", "3/3")
                        .build();
        List<Condition> third =
                new StatusAggregator(second, 1L, T1)
                        .set("ConfigReady", ConditionStatus.False, "Failed", "ok")
                        .set("OrderServiceReady", ConditionStatus.True, "Available", "3/3")
                        .build();

        assertThat(second.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
        assertThat(second.get(1).getLastTransitionTime()).isEqualTo("2025-01-01T10:05:00Z");
        assertThat(ready(second).getLastTransitionTime()).isEqualTo("2025-01-01T10:00:00Z");
        assertThat(third.get(0).getLastTransitionTime()).isEqualTo("2025-01-01T10:05:00Z");
        assertThat(ready(third).getStatus()).isEqualTo(ConditionStatus.False);
    }

    @Test
    void readyCannotBeSetByHand() {
        assertThatThrownBy(
                        () ->
                                new StatusAggregator(null, 1L, T0)
                                        .set(
                                                ConditionType.READY,
                                                ConditionStatus.True,
                                                "Yes",
                                                "ok"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("computed");
    }

    private static Condition ready(List<Condition> conditions) {
        return conditions.stream()
                .filter(c -> c.getType().equals(ConditionType.READY))
                .findFirst()
                .orElseThrow();
    }
}
