package io.scanorder.order.menu;

import java.util.List;

/**
 * What an order line copies from the menu revision it was priced from, so that later menus never
 * change it. For a combo, {@code spuCode} is the combo code, {@code station} is empty and {@code
 * components} says what goes to which station; for a SKU, {@code components} is empty.
 */
public record PriceSnapshot(
        String revisionHash,
        String code,
        String spuCode,
        String name,
        String spec,
        long priceFen,
        String station,
        int prepMinutes,
        boolean soldOut,
        List<ComboPart> components) {

    public PriceSnapshot {
        components = List.copyOf(components);
    }

    /** One SKU inside a combo: quantity per combo, and where and how long it is prepared. */
    public record ComboPart(
            String skuCode,
            String name,
            String spec,
            int quantity,
            String station,
            int prepMinutes) {}
}
