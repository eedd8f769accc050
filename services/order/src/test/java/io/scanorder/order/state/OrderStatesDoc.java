package io.scanorder.order.state;

import java.util.stream.Collectors;

/** Renders docs/order-states.md from {@link OrderStateMachine} (see OrderStateContractTest). */
final class OrderStatesDoc {
    private OrderStatesDoc() {}

    static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Order states\n\n")
                .append(
                        "<!-- Generated from io.scanorder.order.state.OrderStateMachine by"
                                + " OrderStateContractTest; do not edit by hand. -->\n\n")
                .append(
                        "Every order follows one state machine, defined as a single table in\n"
                                + "`services/order/src/main/java/io/scanorder/order/state/"
                                + "OrderStateMachine.java`.\n"
                                + "A move not in the table, or made by an actor kind the table"
                                + " does not name, is refused\n"
                                + "(gRPC `FAILED_PRECONDITION`, or `PERMISSION_DENIED` for the"
                                + " wrong actor kind) with a message\n"
                                + "naming the order, both states and the rule, e.g.\n"
                                + "`cannot move order 8c1e… from SERVED to REFUNDING: refunds"
                                + " are not allowed after SERVED`.\n"
                                + "Every move is written with a conditional update and recorded"
                                + " in `order_events`\n"
                                + "(actor kind and id, time, reason, from, to) in the same"
                                + " transaction.\n\n");
        md.append("## States\n\n| state | meaning |\n|---|---|\n");
        for (OrderState s : OrderState.values()) {
            md.append("| `").append(s).append("` | ").append(s.meaning()).append(" |\n");
        }
        md.append("\nFinal states (no move leaves them): ")
                .append(
                        OrderStateMachine.FINAL_STATES.stream()
                                .map(s -> "`" + s + "`")
                                .collect(Collectors.joining(", ")))
                .append(".\n\n");
        md.append("## Transitions\n\n")
                .append("Actor kinds: `DINER` (mini program), `STAFF` (staff screen, POS),")
                .append(" `SYSTEM` (timeouts, kitchen\nacknowledgements), `PAYMENT`")
                .append(" (payment service notifications).\n\n")
                .append(OrderStateMachine.markdownTable());
        md.append("\n## Refund rules\n\n")
                .append("- Before acceptance (`PAID`) a diner's full refund is self-service;")
                .append(" staff rejecting a paid order\n  also starts a full refund.\n")
                .append("- While the kitchen works on the order (")
                .append(
                        OrderStateMachine.STAFF_APPROVED_REFUND_STATES.stream()
                                .map(s -> "`" + s + "`")
                                .collect(Collectors.joining(", ")))
                .append(") a diner's request\n  waits for staff approval (`ApproveRefund`).\n")
                .append("- From `SERVED` on (")
                .append(
                        OrderStateMachine.NO_REFUND_STATES.stream()
                                .map(s -> "`" + s + "`")
                                .collect(Collectors.joining(", ")))
                .append(") no refund is allowed.\n")
                .append("- A refund may name order lines (a single-item refund): its amount is")
                .append(" the lines' price\n  snapshot, and no line is refunded beyond its")
                .append(" ordered quantity (earlier refunds count\n  unless `FAILED` or")
                .append(" `DECLINED`). The same approval rules apply.\n")
                .append("- Partial refunds do not stop the order: only a refund of everything")
                .append(" still paid (its amount, plus\n  what was refunded, plus the order's")
                .append(" other refunds still `PROCESSING`, equals the paid amount)\n  moves it")
                .append(" to `REFUNDING`. A partial refund (an amount or single items) is sent to")
                .append(" the payment\n  service while the order keeps its kitchen state, so")
                .append(" the rest of the food still reaches `READY`\n  and `SERVED`; its")
                .append(" success only raises the refunded amount. A partial refund approved")
                .append(" before\n  `SERVED` is still paid out after it.\n")
                .append("- While the order is `REFUNDING` or `PARTIALLY_REFUNDED`, staff may")
                .append(" request and approve further\n  refunds of what is still paid (one")
                .append(" that takes the rest moves `PARTIALLY_REFUNDED` back to `REFUNDING`);\n")
                .append("  diners may not.\n")
                .append("- A `REFUNDING` order moves to `REFUNDED` once everything paid is")
                .append(" refunded, and to\n  `PARTIALLY_REFUNDED` when its last refund in")
                .append(" progress ends (paid out, or closed by WeChat Pay\n  without paying")
                .append(" out) with only part refunded. If WeChat Pay closes the refund and")
                .append(" nothing is\n  refunded, the order stays `REFUNDING` and staff call")
                .append(" `RequestRefund` as `STAFF` for it again.\n\n");
        md.append("## Payment timeout\n\n")
                .append("A `PENDING_PAYMENT` order is closed (`CLOSED`, actor")
                .append(" `SYSTEM:payment-timeout`) once its payment deadline\n")
                .append("passes: the order's `payment_deadline`, else its creation time plus")
                .append(" the store's\n`order_timeout_seconds`, else plus")
                .append(" `scanorder.order.order-states.default-payment-timeout` (15 minutes).\n")
                .append("Every replica runs the job every")
                .append(" `scanorder.order.order-states.timeout-check-interval` (30 s);\n")
                .append("the conditional move makes a second close, or a close racing a")
                .append(" payment, a no-op.\n\n");
        md.append("## Diagram\n\n```mermaid\n")
                .append(OrderStateMachine.mermaidDiagram())
                .append("```\n");
        return md.toString();
    }
}
