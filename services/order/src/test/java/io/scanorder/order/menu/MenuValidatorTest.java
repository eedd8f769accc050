package io.scanorder.order.menu;

import static io.scanorder.order.menu.MenuFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MenuValidatorTest {
    private static final Optional<Set<String>> ANY_STATION = Optional.empty();

    @Test
    void fixtureMenuIsValid() {
        assertThat(MenuValidator.validate(menu(), ANY_STATION)).isEmpty();
        assertThat(MenuValidator.validate(menu(), Optional.of(Set.of("hot", "cold", "bar"))))
                .isEmpty();
    }

    static Stream<Arguments> invalidMenus() {
        return Stream.of(
                Arguments.of(
                        "zero price",
                        withItem(0, i -> withSkus(i, List.of(new Menu.Sku("b", "s", 0, 0)))),
                        "menu.items[0].skus[0].price_fen",
                        "must be > 0, got 0"),
                Arguments.of(
                        "negative price on the second SKU of the fourth item",
                        addItem(
                                withSkus(
                                        withSpu(cucumber(), "extra"),
                                        List.of(
                                                new Menu.Sku("x1", "", 100, 0),
                                                new Menu.Sku("x2", "", -5, 0)))),
                        "menu.items[3].skus[1].price_fen",
                        "must be > 0, got -5"),
                Arguments.of(
                        "negative cost",
                        withItem(1, i -> withSkus(i, List.of(new Menu.Sku("c", "", 10, -1)))),
                        "menu.items[1].skus[0].cost_fen",
                        "must be >= 0, got -1"),
                Arguments.of(
                        "price in yuan*10000 by mistake",
                        withItem(
                                1,
                                i -> withSkus(i, List.of(new Menu.Sku("c", "", 120_000_000, 0)))),
                        "menu.items[1].skus[0].price_fen",
                        "must be at most 100000000"),
                Arguments.of(
                        "duplicate SPU code",
                        withItem(1, i -> withSpu(i, "beef-noodles")),
                        "menu.items[1].spu_code",
                        "'beef-noodles' is a duplicate"),
                Arguments.of(
                        "SKU code used by two items",
                        withItem(
                                2,
                                i -> withSkus(i, List.of(new Menu.Sku("cucumber-std", "", 9, 0)))),
                        "menu.items[2].skus[0].sku_code",
                        "'cucumber-std' is already used by menu.items[1].skus[0]"),
                Arguments.of(
                        "combo code clashing with a SKU code",
                        withCombos(
                                List.of(
                                        new Menu.Combo(
                                                "lemon-tea-std",
                                                "Tea",
                                                500,
                                                List.of(new Menu.Component("cucumber-std", 1))))),
                        "menu.combos[0].combo_code",
                        "already used by menu.items[2].skus[0]"),
                Arguments.of(
                        "combo with an unknown SKU",
                        withCombos(
                                List.of(
                                        new Menu.Combo(
                                                "set",
                                                "Set",
                                                500,
                                                List.of(
                                                        new Menu.Component("cucumber-std", 1),
                                                        new Menu.Component("ghost", 1))))),
                        "menu.combos[0].components[1].sku_code",
                        "'ghost' is not a SKU of this menu"),
                Arguments.of(
                        "combo with zero quantity",
                        withCombos(
                                List.of(
                                        new Menu.Combo(
                                                "set",
                                                "Set",
                                                500,
                                                List.of(new Menu.Component("cucumber-std", 0))))),
                        "menu.combos[0].components[0].quantity",
                        "must be between 1 and 99, got 0"),
                Arguments.of(
                        "combo without components",
                        withCombos(List.of(new Menu.Combo("set", "Set", 500, List.of()))),
                        "menu.combos[0].components",
                        "at least one component"),
                Arguments.of(
                        "combo listing one SKU twice",
                        withCombos(
                                List.of(
                                        new Menu.Combo(
                                                "set",
                                                "Set",
                                                500,
                                                List.of(
                                                        new Menu.Component("cucumber-std", 1),
                                                        new Menu.Component("cucumber-std", 2))))),
                        "menu.combos[0].components[1].sku_code",
                        "appears twice in this combo"),
                Arguments.of(
                        "item without SKUs",
                        withItem(2, i -> withSkus(i, List.of())),
                        "menu.items[2].skus",
                        "at least one SKU"),
                Arguments.of(
                        "unknown category",
                        withItem(0, i -> withCategory(i, "soups")),
                        "menu.items[0].category_code",
                        "'soups' is not a category of this menu"),
                Arguments.of(
                        "negative prep minutes",
                        withItem(1, i -> withPrep(i, -1)),
                        "menu.items[1].prep_minutes",
                        "must be between 0 and 240, got -1"),
                Arguments.of(
                        "prep minutes too long",
                        withItem(1, i -> withPrep(i, 241)),
                        "menu.items[1].prep_minutes",
                        "got 241"),
                Arguments.of(
                        "window ending before it starts",
                        withItem(
                                0,
                                i -> withWindows(i, List.of(new Menu.Window(List.of(), 900, 600)))),
                        "menu.items[0].availability[0].end_minute",
                        "must be after start_minute (900), got 600"),
                Arguments.of(
                        "empty window",
                        withItem(
                                0,
                                i ->
                                        withWindows(
                                                i,
                                                List.of(
                                                        new Menu.Window(List.of(), 0, 60),
                                                        new Menu.Window(List.of(), 600, 600)))),
                        "menu.items[0].availability[1].end_minute",
                        "must be after start_minute (600)"),
                Arguments.of(
                        "window start past midnight",
                        withItem(
                                0,
                                i ->
                                        withWindows(
                                                i,
                                                List.of(new Menu.Window(List.of(), 1440, 1440)))),
                        "menu.items[0].availability[0].start_minute",
                        "must be between 0 and 1439, got 1440"),
                Arguments.of(
                        "day of week 0",
                        withItem(
                                0,
                                i ->
                                        withWindows(
                                                i, List.of(new Menu.Window(List.of(1, 0), 0, 60)))),
                        "menu.items[0].availability[0].days_of_week[1]",
                        "must be 1 (Monday) to 7 (Sunday), got 0"),
                Arguments.of(
                        "duplicate allergen",
                        withItem(0, i -> withAllergens(i, List.of("soy", "soy"))),
                        "menu.items[0].allergens[1]",
                        "'soy' is a duplicate"),
                Arguments.of(
                        "plain http image",
                        withItem(0, i -> withImage(i, "http://img.example.com/a.jpg")),
                        "menu.items[0].image_url",
                        "must be an https URL"),
                Arguments.of(
                        "missing station",
                        withItem(2, i -> withStation(i, "")),
                        "menu.items[2].station",
                        "is required"),
                Arguments.of(
                        "station with upper case",
                        withItem(2, i -> withStation(i, "Bar")),
                        "menu.items[2].station",
                        "must be lower-case"),
                Arguments.of(
                        "code with a space",
                        withItem(0, i -> withSpu(i, "beef noodles")),
                        "menu.items[0].spu_code",
                        "must be 1-64 letters"),
                Arguments.of(
                        "no items",
                        new Menu(menu().categories(), List.of(), List.of()),
                        "menu.items",
                        "at least one item"),
                Arguments.of(
                        "duplicate category",
                        new Menu(
                                List.of(
                                        new Menu.Category("noodles", "Noodles"),
                                        new Menu.Category("cold-dishes", "Cold"),
                                        new Menu.Category("drinks", "Drinks"),
                                        new Menu.Category("noodles", "Again")),
                                menu().items(),
                                menu().combos()),
                        "menu.categories[3].category_code",
                        "'noodles' is a duplicate"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMenus")
    void invalidMenuIsRefusedWithItsFieldPath(
            String caseName, Menu menu, String path, String message) {
        List<FieldError> errors = MenuValidator.validate(menu, ANY_STATION);

        assertThat(errors)
                .as(caseName)
                .anySatisfy(
                        e -> {
                            assertThat(e.field()).isEqualTo(path);
                            assertThat(e.description()).contains(message);
                        });
    }

    @Test
    void stationOutsideTheStoresStationsIsRefusedWhenTheStoreIsKnown() {
        Menu menu = menu();

        assertThat(MenuValidator.validate(menu, Optional.of(Set.of("hot", "cold"))))
                .containsExactly(
                        new FieldError(
                                "menu.items[2].station",
                                "'bar' is not a station of this store [cold, hot]"));
    }

    @Test
    void everyProblemIsListedAndTheFirstNamesTheException() {
        Menu menu =
                withItem(
                        0,
                        i ->
                                withPrep(
                                        withSkus(
                                                i,
                                                List.of(new Menu.Sku("beef-noodles-s", "", 0, 0))),
                                        999));

        assertThatThrownBy(() -> MenuValidator.check(menu, ANY_STATION))
                .isInstanceOfSatisfying(
                        InvalidMenuException.class,
                        e -> {
                            assertThat(e.errors())
                                    .extracting(FieldError::field)
                                    .containsExactly(
                                            "menu.items[0].prep_minutes",
                                            "menu.items[0].skus[0].price_fen");
                            assertThat(e.getMessage())
                                    .isEqualTo(
                                            "menu.items[0].prep_minutes must be between 0 and"
                                                    + " 240, got 999 (and 1 more)");
                        });
    }

    private static Menu addItem(Menu.Item item) {
        Menu m = menu();
        List<Menu.Item> items = new java.util.ArrayList<>(m.items());
        items.add(item);
        return new Menu(m.categories(), items, m.combos());
    }
}
