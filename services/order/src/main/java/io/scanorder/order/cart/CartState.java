package io.scanorder.order.cart;

import java.util.List;

/**
 * A cart as Redis holds it: no prices (those come from the menu in force when it is read).
 *
 * @param table the table
 * @param version increases on every change; 0 for a table whose cart was never changed
 * @param lines in the order they were first added
 * @param expiresInMillis time left before an untouched cart is dropped, or -1 when empty
 */
record CartState(TableRef table, long version, List<Line> lines, long expiresInMillis) {

    CartState {
        lines = List.copyOf(lines);
    }

    /**
     * One line: a SKU (or combo code) with a note.
     *
     * @param lineId stable id derived from sku and note
     * @param openid the diner who first added it
     * @param nickname that diner's nickname when given, or empty
     */
    record Line(
            String lineId,
            String sku,
            String note,
            int quantity,
            String openid,
            String nickname,
            long addedAtMillis) {}
}
