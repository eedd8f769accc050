package io.scanorder.order.cart;

import io.scanorder.order.table.TableInfo;

/**
 * The table a cart belongs to.
 *
 * @param storeCode three digits
 * @param tableCode the 12-digit table code (it includes the store code)
 */
public record TableRef(String storeCode, String tableCode) {

    /** The table a resolved scene names. */
    public static TableRef of(TableInfo table) {
        return new TableRef(table.storeCode(), table.tableCode());
    }

    /** Redis hash tag: both keys of a cart land in the same cluster slot. */
    String tag() {
        return "{" + storeCode + ":" + tableCode + "}";
    }

    @Override
    public String toString() {
        return "table " + tableCode + " of store " + storeCode;
    }
}
