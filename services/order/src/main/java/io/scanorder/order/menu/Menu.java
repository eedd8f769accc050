package io.scanorder.order.menu;

import java.util.List;

/**
 * One menu revision of a store: the domain form of the proto {@code scanorder.order.v1.Menu}.
 * Immutable; lists keep display order. Nested records are the menu's parts.
 */
public record Menu(List<Category> categories, List<Item> items, List<Combo> combos) {

    public Menu {
        categories = List.copyOf(categories);
        items = List.copyOf(items);
        combos = List.copyOf(combos);
    }

    /** Number of items (SPUs). */
    public int itemCount() {
        return items.size();
    }

    /** A menu section, e.g. "Noodles". */
    public record Category(String categoryCode, String name) {}

    /** A menu item (SPU) with its sellable variants. */
    public record Item(
            String spuCode,
            String name,
            String categoryCode,
            String station,
            int prepMinutes,
            List<String> allergens,
            String imageUrl,
            List<Window> availability,
            boolean soldOut,
            List<Sku> skus) {
        public Item {
            allergens = List.copyOf(allergens);
            availability = List.copyOf(availability);
            skus = List.copyOf(skus);
        }
    }

    /**
     * A weekly window in the store's time zone: ISO days (1 = Monday; empty = every day), start
     * minute inclusive, end minute exclusive.
     */
    public record Window(List<Integer> daysOfWeek, int startMinute, int endMinute) {
        public Window {
            daysOfWeek = List.copyOf(daysOfWeek);
        }
    }

    /** A sellable variant with its price and cost in fen. */
    public record Sku(String skuCode, String spec, long priceFen, long costFen) {}

    /** A fixed-price set of SKUs. */
    public record Combo(String comboCode, String name, long priceFen, List<Component> components) {
        public Combo {
            components = List.copyOf(components);
        }
    }

    /** One component of a combo. */
    public record Component(String skuCode, int quantity) {}
}
