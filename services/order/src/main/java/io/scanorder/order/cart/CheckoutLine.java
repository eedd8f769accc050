package io.scanorder.order.cart;

import io.scanorder.order.menu.PriceSnapshot;

/**
 * One cart line turned into what an order line needs.
 *
 * @param sku the SKU or combo code
 * @param note the diner's note, may be empty
 * @param quantity 1 to the configured maximum
 * @param price the menu data and price of {@code sku} in the revision in force at checkout
 * @param addedByOpenid the diner who first added the line
 */
public record CheckoutLine(
        String sku, String note, int quantity, PriceSnapshot price, String addedByOpenid) {}
