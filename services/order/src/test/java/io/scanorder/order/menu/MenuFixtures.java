package io.scanorder.order.menu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A small, valid noodle-shop menu and helpers that change one part of it. */
public final class MenuFixtures {
    private MenuFixtures() {}

    public static Menu.Item beefNoodles() {
        return new Menu.Item(
                "beef-noodles",
                "Braised beef noodles",
                "noodles",
                "hot",
                12,
                List.of("gluten", "soy"),
                "https://img.example.com/beef.jpg",
                List.of(new Menu.Window(List.of(1, 2, 3, 4, 5), 600, 1320)),
                false,
                List.of(
                        new Menu.Sku("beef-noodles-s", "small", 2800, 900),
                        new Menu.Sku("beef-noodles-l", "large", 3600, 1200)));
    }

    public static Menu.Item cucumber() {
        return new Menu.Item(
                "cucumber",
                "Smashed cucumber",
                "cold-dishes",
                "cold",
                3,
                List.of("sesame"),
                "",
                List.of(),
                false,
                List.of(new Menu.Sku("cucumber-std", "", 1200, 300)));
    }

    public static Menu.Item lemonTea() {
        return new Menu.Item(
                "lemon-tea",
                "Iced lemon tea",
                "drinks",
                "bar",
                2,
                List.of(),
                "",
                List.of(),
                false,
                List.of(new Menu.Sku("lemon-tea-std", "", 800, 150)));
    }

    public static Menu menu() {
        return new Menu(
                List.of(
                        new Menu.Category("noodles", "Noodles"),
                        new Menu.Category("cold-dishes", "Cold dishes"),
                        new Menu.Category("drinks", "Drinks")),
                List.of(beefNoodles(), cucumber(), lemonTea()),
                List.of(
                        new Menu.Combo(
                                "lunch-set",
                                "Lunch set",
                                3900,
                                List.of(
                                        new Menu.Component("beef-noodles-s", 1),
                                        new Menu.Component("lemon-tea-std", 1)))));
    }

    /** The fixture menu with item {@code index} replaced. */
    public static Menu withItem(int index, UnaryOperator<Menu.Item> change) {
        Menu m = menu();
        List<Menu.Item> items = new ArrayList<>(m.items());
        items.set(index, change.apply(items.get(index)));
        return new Menu(m.categories(), items, m.combos());
    }

    /** The fixture menu with its combos replaced. */
    public static Menu withCombos(List<Menu.Combo> combos) {
        Menu m = menu();
        return new Menu(m.categories(), m.items(), combos);
    }

    public static Menu.Item withSkus(Menu.Item i, List<Menu.Sku> skus) {
        return new Menu.Item(
                i.spuCode(),
                i.name(),
                i.categoryCode(),
                i.station(),
                i.prepMinutes(),
                i.allergens(),
                i.imageUrl(),
                i.availability(),
                i.soldOut(),
                skus);
    }

    public static Menu.Item withStation(Menu.Item i, String station) {
        return new Menu.Item(
                i.spuCode(),
                i.name(),
                i.categoryCode(),
                station,
                i.prepMinutes(),
                i.allergens(),
                i.imageUrl(),
                i.availability(),
                i.soldOut(),
                i.skus());
    }

    public static Menu.Item withPrep(Menu.Item i, int prepMinutes) {
        return new Menu.Item(
                i.spuCode(),
                i.name(),
                i.categoryCode(),
                i.station(),
                prepMinutes,
                i.allergens(),
                i.imageUrl(),
                i.availability(),
                i.soldOut(),
                i.skus());
    }

    public static Menu.Item withAllergens(Menu.Item i, List<String> allergens) {
        return new Menu.Item(
                i.spuCode(),
                i.name(),
                i.categoryCode(),
                i.station(),
                i.prepMinutes(),
                allergens,
                i.imageUrl(),
                i.availability(),
                i.soldOut(),
                i.skus());
    }

    public static Menu.Item withWindows(Menu.Item i, List<Menu.Window> windows) {
        return new Menu.Item(
                i.spuCode(),
                i.name(),
                i.categoryCode(),
                i.station(),
                i.prepMinutes(),
                i.allergens(),
                i.imageUrl(),
                windows,
                i.soldOut(),
                i.skus());
    }

    public static Menu.Item withImage(Menu.Item i, String url) {
        return new Menu.Item(
                i.spuCode(),
                i.name(),
                i.categoryCode(),
                i.station(),
                i.prepMinutes(),
                i.allergens(),
                url,
                i.availability(),
                i.soldOut(),
                i.skus());
    }

    public static Menu.Item withCategory(Menu.Item i, String category) {
        return new Menu.Item(
                i.spuCode(),
                i.name(),
                category,
                i.station(),
                i.prepMinutes(),
                i.allergens(),
                i.imageUrl(),
                i.availability(),
                i.soldOut(),
                i.skus());
    }

    public static Menu.Item withSpu(Menu.Item i, String spu) {
        return new Menu.Item(
                spu,
                i.name(),
                i.categoryCode(),
                i.station(),
                i.prepMinutes(),
                i.allergens(),
                i.imageUrl(),
                i.availability(),
                i.soldOut(),
                i.skus());
    }

    public static Menu.Item soldOut(Menu.Item i) {
        return new Menu.Item(
                i.spuCode(),
                i.name(),
                i.categoryCode(),
                i.station(),
                i.prepMinutes(),
                i.allergens(),
                i.imageUrl(),
                i.availability(),
                true,
                i.skus());
    }
}
