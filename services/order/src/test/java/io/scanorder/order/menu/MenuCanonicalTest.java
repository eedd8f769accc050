package io.scanorder.order.menu;

import static io.scanorder.order.menu.MenuFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class MenuCanonicalTest {

    @Test
    void hashIsLowerCaseHexSha256AndStable() {
        String hash = MenuCanonical.revisionHash(menu());

        assertThat(hash).matches("[0-9a-f]{64}");
        assertThat(MenuCanonical.revisionHash(menu())).isEqualTo(hash);
    }

    @Test
    void reorderingAllergensDaysWindowsAndComboComponentsKeepsTheHash() {
        Menu reordered =
                withItem(
                        0,
                        i ->
                                withWindows(
                                        withAllergens(i, List.of("soy", "gluten")),
                                        List.of(
                                                new Menu.Window(
                                                        List.of(5, 4, 3, 2, 1), 600, 1320))));
        Menu twoWindows =
                withItem(
                        0,
                        i ->
                                withWindows(
                                        i,
                                        List.of(
                                                new Menu.Window(List.of(6), 600, 900),
                                                new Menu.Window(List.of(7), 0, 60))));
        Menu twoWindowsSwapped =
                withItem(
                        0,
                        i ->
                                withWindows(
                                        i,
                                        List.of(
                                                new Menu.Window(List.of(7), 0, 60),
                                                new Menu.Window(List.of(6), 600, 900))));
        Menu swappedComponents =
                withCombos(
                        List.of(
                                new Menu.Combo(
                                        "lunch-set",
                                        "Lunch set",
                                        3900,
                                        List.of(
                                                new Menu.Component("lemon-tea-std", 1),
                                                new Menu.Component("beef-noodles-s", 1)))));

        assertThat(MenuCanonical.revisionHash(reordered))
                .isEqualTo(MenuCanonical.revisionHash(menu()));
        assertThat(MenuCanonical.revisionHash(swappedComponents))
                .isEqualTo(MenuCanonical.revisionHash(menu()));
        assertThat(MenuCanonical.revisionHash(twoWindowsSwapped))
                .isEqualTo(MenuCanonical.revisionHash(twoWindows));
    }

    @Test
    void displayOrderAndEveryValueChangeTheHash() {
        Menu m = menu();
        Menu itemsSwapped =
                new Menu(
                        m.categories(),
                        List.of(m.items().get(1), m.items().get(0), m.items().get(2)),
                        m.combos());
        Menu cheaper =
                withItem(1, i -> withSkus(i, List.of(new Menu.Sku("cucumber-std", "", 1100, 300))));
        Menu costChanged =
                withItem(1, i -> withSkus(i, List.of(new Menu.Sku("cucumber-std", "", 1200, 301))));
        Menu soldOut = withItem(1, MenuFixtures::soldOut);

        String base = MenuCanonical.revisionHash(m);
        assertThat(
                        List.of(itemsSwapped, cheaper, costChanged, soldOut).stream()
                                .map(MenuCanonical::revisionHash)
                                .distinct())
                .hasSize(4)
                .doesNotContain(base);
    }

    @Test
    void canonicalJsonRoundTripsToTheNormalizedMenu() {
        Menu m = withItem(0, i -> withAllergens(i, List.of("soy", "gluten")));

        Menu back = MenuCanonical.fromJson(MenuCanonical.toJson(m));

        assertThat(back).isEqualTo(MenuCanonical.normalize(m));
        assertThat(back.items().get(0).allergens()).containsExactly("gluten", "soy");
        assertThat(MenuCanonical.revisionHash(back)).isEqualTo(MenuCanonical.revisionHash(m));
    }

    @Test
    void canonicalJsonSortsFieldNames() {
        String json =
                MenuCanonical.toJson(
                        new Menu(List.of(new Menu.Category("c", "C")), List.of(), List.of()));

        assertThat(json)
                .isEqualTo(
                        "{\"categories\":[{\"categoryCode\":\"c\",\"name\":\"C\"}],"
                                + "\"combos\":[],\"items\":[]}");
    }

    @Test
    void fixtureMenuHashIsPinnedForTheOperator() {
        // operator MenuContentTest#revisionHashIsTheOrderServicesCanonicalRevisionHash hashes the
        // same menu (as its proto) and expects this value: the operator compares it with the
        // revision GetMenu reports, so the two must never drift apart.
        assertThat(MenuCanonical.revisionHash(menu()))
                .isEqualTo("076a7c8a4097bf86b3a01864b3b04e3c038c814865823f27acd09204c6efc547");
    }
}
