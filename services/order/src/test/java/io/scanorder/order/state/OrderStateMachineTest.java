package io.scanorder.order.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The transition table, checked exhaustively over every state pair and actor kind. */
class OrderStateMachineTest {
    private static final String ORDER = "0b8f1c6e-0000-4000-8000-000000000001";

    /** Every (from, to) pair, including from == to, that the table does not contain. */
    static Stream<Arguments> pairsNotInTheTable() {
        List<Arguments> pairs = new ArrayList<>();
        for (OrderState from : OrderState.values()) {
            for (OrderState to : OrderState.values()) {
                if (OrderStateMachine.find(from, to).isEmpty()) {
                    pairs.add(Arguments.of(from, to));
                }
            }
        }
        return pairs.stream();
    }

    /** Every (transition, actor kind) where the table does not name that actor kind. */
    static Stream<Arguments> actorsNotAllowed() {
        List<Arguments> cases = new ArrayList<>();
        for (Transition t : OrderStateMachine.TRANSITIONS) {
            for (ActorKind actor : ActorKind.values()) {
                if (!t.actors().contains(actor)) {
                    cases.add(Arguments.of(t.from(), t.to(), actor));
                }
            }
        }
        return cases.stream();
    }

    static Stream<Arguments> allowedMoves() {
        List<Arguments> cases = new ArrayList<>();
        for (Transition t : OrderStateMachine.TRANSITIONS) {
            for (ActorKind actor : t.actors()) {
                cases.add(Arguments.of(t.from(), t.to(), actor));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} -> {1} is refused for every actor")
    @MethodSource("pairsNotInTheTable")
    void everyMoveOutsideTheTableIsRefusedForEveryActor(OrderState from, OrderState to) {
        for (ActorKind actor : ActorKind.values()) {
            assertThatThrownBy(() -> OrderStateMachine.check(ORDER, from, to, actor))
                    .isExactlyInstanceOf(IllegalTransitionException.class)
                    .hasMessageStartingWith(
                            "cannot move order " + ORDER + " from " + from + " to " + to + ": ")
                    .satisfies(
                            e -> {
                                IllegalTransitionException ite = (IllegalTransitionException) e;
                                assertThat(ite.from()).isEqualTo(from);
                                assertThat(ite.to()).isEqualTo(to);
                            });
        }
    }

    @ParameterizedTest(name = "{0} -> {1} is refused for {2}")
    @MethodSource("actorsNotAllowed")
    void everyMoveByAnActorKindTheTableDoesNotNameIsRefused(
            OrderState from, OrderState to, ActorKind actor) {
        assertThatThrownBy(() -> OrderStateMachine.check(ORDER, from, to, actor))
                .isInstanceOf(ActorNotAllowedException.class)
                .hasMessageContaining("from " + from + " to " + to)
                .hasMessageContaining("not " + actor);
    }

    @ParameterizedTest(name = "{0} -> {1} is allowed for {2}")
    @MethodSource("allowedMoves")
    void everyMoveInTheTableIsAllowedForItsActors(OrderState from, OrderState to, ActorKind actor) {
        assertThat(OrderStateMachine.check(ORDER, from, to, actor).to()).isEqualTo(to);
    }

    @Test
    void theRefusalCasesCoverEveryPairAndActor() {
        int states = OrderState.values().length;
        long refusedPairs = pairsNotInTheTable().count();
        assertThat(refusedPairs + OrderStateMachine.TRANSITIONS.size())
                .isEqualTo((long) states * states);
        assertThat(actorsNotAllowed().count() + allowedMoves().count())
                .isEqualTo((long) OrderStateMachine.TRANSITIONS.size() * ActorKind.values().length);
    }

    @ParameterizedTest
    @EnumSource(
            value = OrderState.class,
            names = {"SERVED", "COMPLETED", "REVIEWED"})
    void refundsAfterServingAreRefusedWithTheRefundRule(OrderState from) {
        for (ActorKind actor : ActorKind.values()) {
            assertThatThrownBy(
                            () -> OrderStateMachine.check(ORDER, from, OrderState.REFUNDING, actor))
                    .hasMessage(
                            "cannot move order "
                                    + ORDER
                                    + " from "
                                    + from
                                    + " to REFUNDING: refunds are not allowed after SERVED");
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = OrderState.class,
            names = {"ACCEPTED", "DISPATCHING", "COOKING", "READY"})
    void refundsWhileTheKitchenWorksNeedStaff(OrderState from) {
        assertThat(OrderStateMachine.check(ORDER, from, OrderState.REFUNDING, ActorKind.STAFF))
                .isNotNull();
        assertThatThrownBy(
                        () ->
                                OrderStateMachine.check(
                                        ORDER, from, OrderState.REFUNDING, ActorKind.DINER))
                .isInstanceOf(ActorNotAllowedException.class)
                .hasMessageContaining(
                        "only STAFF may make this move (staff approve a refund of everything"
                                + " still paid");
        OrderStateMachine.checkRefund(ORDER, from, ActorKind.STAFF);
        assertThatThrownBy(() -> OrderStateMachine.checkRefund(ORDER, from, ActorKind.DINER))
                .isInstanceOf(ActorNotAllowedException.class);
    }

    @Test
    void onlyStaffAddARefundToAnOrderThatIsAlreadyRefunding() {
        OrderStateMachine.checkRefund(ORDER, OrderState.REFUNDING, ActorKind.STAFF);
        OrderStateMachine.checkRefund(ORDER, OrderState.PARTIALLY_REFUNDED, ActorKind.STAFF);
        for (OrderState state : List.of(OrderState.REFUNDING, OrderState.PARTIALLY_REFUNDED)) {
            for (ActorKind actor : List.of(ActorKind.DINER, ActorKind.SYSTEM)) {
                assertThatThrownBy(() -> OrderStateMachine.checkRefund(ORDER, state, actor))
                        .isInstanceOf(ActorNotAllowedException.class)
                        .hasMessageStartingWith(
                                "cannot move order " + ORDER + " from " + state + " to REFUNDING")
                        .hasMessageContaining("not " + actor);
            }
        }
        assertThatThrownBy(
                        () ->
                                OrderStateMachine.checkRefund(
                                        ORDER, OrderState.REFUNDING, ActorKind.DINER))
                .hasMessageContaining(
                        "a refund of everything still paid is already in progress; only STAFF");
    }

    @ParameterizedTest
    @EnumSource(
            value = OrderState.class,
            names = {"PENDING_PAYMENT", "SERVED", "COMPLETED", "REVIEWED", "REFUNDED", "CLOSED"})
    void noOneStartsARefundWhereTheStateAllowsNone(OrderState from) {
        for (ActorKind actor : ActorKind.values()) {
            assertThatThrownBy(() -> OrderStateMachine.checkRefund(ORDER, from, actor))
                    .isInstanceOf(IllegalTransitionException.class);
        }
    }

    @Test
    void dinersRefundPaidOrdersThemselvesBeforeAcceptance() {
        assertThat(
                        OrderStateMachine.check(
                                        ORDER,
                                        OrderState.PAID,
                                        OrderState.REFUNDING,
                                        ActorKind.DINER)
                                .trigger())
                .contains("self-service");
    }

    @Test
    void refusalNamesTheStatesThatAreReachable() {
        assertThatThrownBy(
                        () ->
                                OrderStateMachine.check(
                                        ORDER,
                                        OrderState.PAID,
                                        OrderState.COOKING,
                                        ActorKind.STAFF))
                .hasMessageEndingWith(
                        "not a transition of the order state machine; from PAID the order can"
                                + " only move to ACCEPTED, REFUNDING");
    }

    @Test
    void finalStatesAreExactlyThoseNoMoveLeaves() {
        assertThat(OrderStateMachine.FINAL_STATES)
                .containsExactlyInAnyOrder(
                        OrderState.CANCELLED,
                        OrderState.CLOSED,
                        OrderState.REVIEWED,
                        OrderState.REFUNDED);
        assertThatThrownBy(
                        () ->
                                OrderStateMachine.check(
                                        ORDER,
                                        OrderState.CLOSED,
                                        OrderState.PAID,
                                        ActorKind.PAYMENT))
                .hasMessageEndingWith("CLOSED is a final state");
    }

    @Test
    void everyStateIsReachableFromPendingPayment() {
        List<OrderState> reached = new ArrayList<>(List.of(OrderState.PENDING_PAYMENT));
        for (int i = 0; i < reached.size(); i++) {
            for (OrderState next : OrderStateMachine.targetsFrom(reached.get(i))) {
                if (!reached.contains(next)) {
                    reached.add(next);
                }
            }
        }
        assertThat(reached).containsExactlyInAnyOrder(OrderState.values());
    }
}
