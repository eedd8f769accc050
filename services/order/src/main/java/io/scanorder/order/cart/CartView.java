package io.scanorder.order.cart;

import java.time.Instant;
import java.util.List;

/**
 * A table's cart as one diner sees it, priced from the menu in force when it was read. Amounts are
 * whole fen. Lines whose SKU left the menu or sold out stay in the cart but are marked unavailable
 * and left out of the total.
 *
 * @param storeCode three digits
 * @param tableCode the 12-digit table code
 * @param version increases on every change; pass it to checkout
 * @param lines in the order they were first added
 * @param itemCount sum of the available lines' quantities
 * @param totalFen sum of the available lines' totals
 * @param menuRevision hash of the menu revision the prices come from, or null when none is
 *     published
 * @param expiresAt when the cart is dropped if nobody changes it, or null when empty
 */
public record CartView(
        String storeCode,
        String tableCode,
        long version,
        List<Line> lines,
        int itemCount,
        long totalFen,
        String menuRevision,
        Instant expiresAt) {

    /**
     * One line.
     *
     * @param lineId id for PUT/DELETE {@code .../cart/lines/{lineId}}
     * @param sku the SKU or combo code
     * @param name menu name, or the SKU when it is no longer on the menu
     * @param spec menu spec (e.g. "large"), may be empty
     * @param note the diner's note, may be empty
     * @param unitPriceFen current price, or null when unavailable
     * @param lineTotalFen unit price times quantity, or null when unavailable
     * @param available false when the SKU is sold out or no longer on the menu
     * @param problem why the line is unavailable, or null
     * @param addedByNickname nickname of the diner who first added it, may be empty
     * @param addedByMe true when the viewing diner first added it
     */
    public record Line(
            String lineId,
            String sku,
            String name,
            String spec,
            String note,
            int quantity,
            Long unitPriceFen,
            Long lineTotalFen,
            boolean available,
            String problem,
            String addedByNickname,
            boolean addedByMe,
            Instant addedAt) {}
}
