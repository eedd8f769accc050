package io.scanorder.order.cart;

import java.util.List;

/**
 * A cart taken for an order: its lines and the menu revision they were priced from. The cart was
 * cleared atomically, only because its version was still the one the diner confirmed.
 *
 * @param table the table
 * @param checkedOutVersion the version the lines come from
 * @param menuRevision hash of the menu revision of every line's price
 * @param lines in the order they were first added
 * @param totalFen sum of unit price times quantity
 */
public record Checkout(
        TableRef table,
        long checkedOutVersion,
        String menuRevision,
        List<CheckoutLine> lines,
        long totalFen) {

    public Checkout {
        lines = List.copyOf(lines);
    }
}
