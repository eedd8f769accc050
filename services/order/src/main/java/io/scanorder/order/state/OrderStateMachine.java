package io.scanorder.order.state;

import static io.scanorder.order.state.ActorKind.DINER;
import static io.scanorder.order.state.ActorKind.PAYMENT;
import static io.scanorder.order.state.ActorKind.STAFF;
import static io.scanorder.order.state.ActorKind.SYSTEM;
import static io.scanorder.order.state.OrderState.ACCEPTED;
import static io.scanorder.order.state.OrderState.CANCELLED;
import static io.scanorder.order.state.OrderState.CLOSED;
import static io.scanorder.order.state.OrderState.COMPLETED;
import static io.scanorder.order.state.OrderState.COOKING;
import static io.scanorder.order.state.OrderState.DISPATCHING;
import static io.scanorder.order.state.OrderState.PAID;
import static io.scanorder.order.state.OrderState.PARTIALLY_REFUNDED;
import static io.scanorder.order.state.OrderState.PENDING_PAYMENT;
import static io.scanorder.order.state.OrderState.READY;
import static io.scanorder.order.state.OrderState.REFUNDED;
import static io.scanorder.order.state.OrderState.REFUNDING;
import static io.scanorder.order.state.OrderState.REVIEWED;
import static io.scanorder.order.state.OrderState.SERVED;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The order state machine as one table of allowed moves ({@link #TRANSITIONS}); every move not in
 * the table, or made by an actor kind the table does not name, is refused with a message saying
 * why. Pure: no I/O, so it is tested exhaustively and renders docs/order-states.md.
 */
public final class OrderStateMachine {
    private static final String FULL_REFUND_APPROVED =
            "staff approve a refund of everything still paid (a partial refund does not move"
                    + " the order)";

    /** Every allowed move. Anything else is illegal. */
    public static final List<Transition> TRANSITIONS =
            List.of(
                    t(PENDING_PAYMENT, PAID, "payment notification confirms the payment", PAYMENT),
                    t(
                            PENDING_PAYMENT,
                            CANCELLED,
                            "diner or staff cancel before payment",
                            DINER,
                            STAFF),
                    t(PENDING_PAYMENT, CLOSED, "payment timeout of the store elapsed", SYSTEM),
                    t(PAID, ACCEPTED, "staff accept the order (AcceptOrder)", STAFF),
                    t(
                            PAID,
                            REFUNDING,
                            "self-service full refund by the diner, staff reject the order, or staff"
                                    + " refund everything still paid",
                            DINER,
                            STAFF),
                    t(
                            ACCEPTED,
                            DISPATCHING,
                            "kitchen tickets handed to the dispatcher",
                            STAFF,
                            SYSTEM),
                    t(
                            DISPATCHING,
                            COOKING,
                            "every ticket acknowledged by a kitchen device",
                            STAFF,
                            SYSTEM),
                    t(COOKING, READY, "kitchen marks the food ready", STAFF, SYSTEM),
                    t(READY, SERVED, "staff serve the food", STAFF),
                    t(
                            SERVED,
                            COMPLETED,
                            "staff or the platform close out the order",
                            STAFF,
                            SYSTEM),
                    t(COMPLETED, REVIEWED, "diner reviews the order", DINER),
                    t(ACCEPTED, REFUNDING, FULL_REFUND_APPROVED, STAFF),
                    t(DISPATCHING, REFUNDING, FULL_REFUND_APPROVED, STAFF),
                    t(COOKING, REFUNDING, FULL_REFUND_APPROVED, STAFF),
                    t(READY, REFUNDING, FULL_REFUND_APPROVED, STAFF),
                    t(
                            REFUNDING,
                            REFUNDED,
                            "refund notification for the whole paid amount",
                            PAYMENT),
                    t(
                            REFUNDING,
                            PARTIALLY_REFUNDED,
                            "the last refund in progress ends (paid out or closed) with part of the"
                                    + " paid amount refunded",
                            PAYMENT),
                    t(
                            PARTIALLY_REFUNDED,
                            REFUNDING,
                            "staff approve a further refund of everything still paid",
                            STAFF),
                    t(
                            PARTIALLY_REFUNDED,
                            COMPLETED,
                            "staff or the platform close out a partly refunded order",
                            STAFF,
                            SYSTEM));

    /** States no move leaves. */
    public static final Set<OrderState> FINAL_STATES;

    /** States from which refunds are never allowed (the food reached the table). */
    public static final Set<OrderState> NO_REFUND_STATES = EnumSet.of(SERVED, COMPLETED, REVIEWED);

    /** States in which a diner's refund request waits for staff approval. */
    public static final Set<OrderState> STAFF_APPROVED_REFUND_STATES =
            EnumSet.of(ACCEPTED, DISPATCHING, COOKING, READY);

    private static final Map<OrderState, Map<OrderState, Transition>> BY_FROM;

    static {
        Map<OrderState, Map<OrderState, Transition>> byFrom = new EnumMap<>(OrderState.class);
        for (OrderState s : OrderState.values()) {
            byFrom.put(s, new EnumMap<>(OrderState.class));
        }
        for (Transition tr : TRANSITIONS) {
            if (byFrom.get(tr.from()).put(tr.to(), tr) != null) {
                throw new IllegalStateException("duplicate transition " + tr);
            }
        }
        Set<OrderState> finals = EnumSet.noneOf(OrderState.class);
        byFrom.forEach(
                (from, targets) -> {
                    if (targets.isEmpty()) {
                        finals.add(from);
                    }
                });
        byFrom.replaceAll((from, targets) -> Collections.unmodifiableMap(targets));
        BY_FROM = Collections.unmodifiableMap(byFrom);
        FINAL_STATES = Collections.unmodifiableSet(finals);
    }

    private OrderStateMachine() {}

    private static Transition t(
            OrderState from, OrderState to, String trigger, ActorKind... actors) {
        return new Transition(from, to, Set.of(actors), trigger);
    }

    /** The allowed move from {@code from} to {@code to}, if the table has one. */
    public static Optional<Transition> find(OrderState from, OrderState to) {
        return Optional.ofNullable(BY_FROM.get(from).get(to));
    }

    /** The states an order in {@code from} may move to, in declaration order. */
    public static Set<OrderState> targetsFrom(OrderState from) {
        return BY_FROM.get(from).keySet();
    }

    /**
     * Checks one move.
     *
     * @param orderRef how the order is named in the error message (its id)
     * @return the transition from the table
     * @throws IllegalTransitionException when the table has no such move; the message says why and
     *     what is possible instead
     * @throws ActorNotAllowedException when the move exists but not for {@code actor}
     */
    public static Transition check(
            String orderRef, OrderState from, OrderState to, ActorKind actor) {
        Transition tr = BY_FROM.get(from).get(to);
        if (tr == null) {
            throw new IllegalTransitionException(orderRef, from, to, whyNot(from, to));
        }
        if (!tr.actors().contains(actor)) {
            throw new ActorNotAllowedException(
                    orderRef,
                    from,
                    to,
                    "only "
                            + join(tr.actors())
                            + " may make this move ("
                            + tr.trigger()
                            + "), not "
                            + actor);
        }
        return tr;
    }

    /**
     * Checks that {@code actor} may start a refund of an order in {@code from} (or, for staff,
     * approve one) without deciding yet whether the order moves: the rules of the move to
     * REFUNDING, plus staff adding a refund to an order that is already REFUNDING (nothing moves
     * then). Whether the order moves at all depends on the amount (only a refund of everything
     * still paid stops the order), which is {@link OrderRefunds}' business.
     *
     * @throws IllegalTransitionException when the state allows no refund
     * @throws ActorNotAllowedException when the state allows refunds, but not by {@code actor}
     */
    public static void checkRefund(String orderRef, OrderState from, ActorKind actor) {
        if (from == REFUNDING) {
            if (actor != STAFF) {
                throw new ActorNotAllowedException(
                        orderRef,
                        from,
                        REFUNDING,
                        "a refund of everything still paid is already in progress; only STAFF"
                                + " may add a further refund to a REFUNDING order, not "
                                + actor);
            }
            return;
        }
        check(orderRef, from, REFUNDING, actor);
    }

    private static String whyNot(OrderState from, OrderState to) {
        boolean refundTarget = to == REFUNDING || to == REFUNDED || to == PARTIALLY_REFUNDED;
        if (refundTarget && NO_REFUND_STATES.contains(from)) {
            return "refunds are not allowed after SERVED";
        }
        if (refundTarget && from == PENDING_PAYMENT) {
            return "nothing has been paid yet; cancel the order instead";
        }
        if (from == to) {
            return "the order is already " + from;
        }
        if (FINAL_STATES.contains(from)) {
            return from + " is a final state";
        }
        return "not a transition of the order state machine; from "
                + from
                + " the order can only move to "
                + join(targetsFrom(from));
    }

    private static String join(Set<?> items) {
        return items.stream().map(Object::toString).collect(Collectors.joining(", "));
    }

    /** The transition table as a Markdown table (rendered into docs/order-states.md). */
    public static String markdownTable() {
        StringBuilder md = new StringBuilder();
        md.append("| from | to | allowed actors | trigger |\n");
        md.append("|---|---|---|---|\n");
        for (Transition tr : TRANSITIONS) {
            md.append("| `")
                    .append(tr.from())
                    .append("` | `")
                    .append(tr.to())
                    .append("` | ")
                    .append(join(tr.actors()))
                    .append(" | ")
                    .append(tr.trigger())
                    .append(" |\n");
        }
        return md.toString();
    }

    /** The state machine as a Mermaid state diagram (rendered into docs/order-states.md). */
    public static String mermaidDiagram() {
        List<String> lines = new ArrayList<>();
        lines.add("stateDiagram-v2");
        lines.add("    [*] --> " + PENDING_PAYMENT + " : order placed");
        for (Transition tr : TRANSITIONS) {
            lines.add("    " + tr.from() + " --> " + tr.to() + " : " + join(tr.actors()));
        }
        for (OrderState s : FINAL_STATES) {
            lines.add("    " + s + " --> [*]");
        }
        return String.join("\n", lines) + "\n";
    }
}
