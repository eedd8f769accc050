package io.scanorder.order.menu;

import java.time.Instant;
import java.util.List;

/**
 * The menu as the mini-program shows it: items nested under their categories, prices only (costs
 * are never sent to diners). Field names are the JSON field names.
 */
public record DinerMenuView(
        String storeCode,
        String revisionHash,
        Instant publishedAt,
        List<CategoryView> categories,
        List<ComboView> combos) {

    /** A category with its items in display order. */
    public record CategoryView(String code, String name, List<ItemView> items) {}

    /** An item as diners see it. */
    public record ItemView(
            String spuCode,
            String name,
            String station,
            int prepMinutes,
            List<String> allergens,
            String imageUrl,
            List<WindowView> availability,
            boolean soldOut,
            List<SkuView> skus) {}

    /** An availability window: ISO days (empty = every day), minutes after local midnight. */
    public record WindowView(List<Integer> daysOfWeek, int startMinute, int endMinute) {}

    /** A variant and its price. */
    public record SkuView(String skuCode, String spec, long priceFen) {}

    /** A combo, its price and contents. */
    public record ComboView(
            String comboCode, String name, long priceFen, List<ComponentView> components) {}

    /** One combo component. */
    public record ComponentView(String skuCode, int quantity) {}

    /** Builds the diner view of a stored revision. */
    public static DinerMenuView of(StoredMenu stored) {
        Menu m = stored.menu();
        List<CategoryView> categories =
                m.categories().stream()
                        .map(
                                c ->
                                        new CategoryView(
                                                c.categoryCode(),
                                                c.name(),
                                                m.items().stream()
                                                        .filter(
                                                                i ->
                                                                        i.categoryCode()
                                                                                .equals(
                                                                                        c
                                                                                                .categoryCode()))
                                                        .map(DinerMenuView::item)
                                                        .toList()))
                        .toList();
        List<ComboView> combos =
                m.combos().stream()
                        .map(
                                c ->
                                        new ComboView(
                                                c.comboCode(),
                                                c.name(),
                                                c.priceFen(),
                                                c.components().stream()
                                                        .map(
                                                                x ->
                                                                        new ComponentView(
                                                                                x.skuCode(),
                                                                                x.quantity()))
                                                        .toList()))
                        .toList();
        return new DinerMenuView(
                stored.storeCode(),
                stored.revisionHash(),
                stored.publishedAt(),
                categories,
                combos);
    }

    private static ItemView item(Menu.Item i) {
        return new ItemView(
                i.spuCode(),
                i.name(),
                i.station(),
                i.prepMinutes(),
                i.allergens(),
                i.imageUrl(),
                i.availability().stream()
                        .map(w -> new WindowView(w.daysOfWeek(), w.startMinute(), w.endMinute()))
                        .toList(),
                i.soldOut(),
                i.skus().stream()
                        .map(s -> new SkuView(s.skuCode(), s.spec(), s.priceFen()))
                        .toList());
    }
}
