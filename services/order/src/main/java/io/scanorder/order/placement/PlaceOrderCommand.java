package io.scanorder.order.placement;

import io.scanorder.order.state.Actor;
import java.util.List;

/**
 * A request to place an order, from the diner REST API or gRPC PlaceOrder.
 *
 * @param table the 30-character signed table scene; staff may also give the 12-digit table code
 * @param storeCode the store the caller expects, checked against the table's; null to skip
 * @param idempotencyKey client-chosen, 1-64 characters, unique per store
 * @param placedBy who places it: a diner (openid) or staff
 * @param lines what is ordered, in the diner's order
 * @param remark note for the kitchen, may be empty
 * @param partySize diners at the table, 1-99
 */
public record PlaceOrderCommand(
        String table,
        String storeCode,
        String idempotencyKey,
        Actor placedBy,
        List<Line> lines,
        String remark,
        int partySize) {

    public PlaceOrderCommand {
        lines = lines == null ? null : List.copyOf(lines);
    }

    /**
     * One line as asked for; the price comes from the menu.
     *
     * @param skuCode SKU or combo code of the current menu
     * @param quantity how many
     * @param note e.g. "no chilli", may be empty
     */
    public record Line(String skuCode, int quantity, String note) {}
}
