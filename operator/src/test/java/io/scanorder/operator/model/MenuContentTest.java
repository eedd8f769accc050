package io.scanorder.operator.model;

import static io.scanorder.operator.model.MenuValidationTest.example;
import static org.assertj.core.api.Assertions.assertThat;

import io.scanorder.crds.v1alpha1.Allergen;
import io.scanorder.crds.v1alpha1.AvailabilityWindow;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.crds.v1alpha1.MenuItem;
import io.scanorder.crds.v1alpha1.Weekday;
import io.scanorder.proto.order.v1.MenuItem.Builder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class MenuContentTest {
    private final Menu menu = example("menu-sichuan-classics.yaml", Menu.class);

    @Test
    void exampleMenuMapsFieldForField() {
        io.scanorder.proto.order.v1.Menu proto = MenuContent.toProto(menu.getSpec());
        assertThat(proto.getCategoriesCount()).isEqualTo(5);
        assertThat(proto.getItemsCount()).isEqualTo(31);
        assertThat(proto.getCombosCount()).isEqualTo(3);
        io.scanorder.proto.order.v1.MenuItem first = proto.getItems(0);
        assertThat(first.getSpuCode()).isEqualTo("COLD-001");
        assertThat(first.getCategoryCode()).isEqualTo("cold");
        assertThat(first.getStation()).isEqualTo("cold");
        assertThat(first.getPrepMinutes()).isEqualTo(5);
        assertThat(first.getAllergensList()).containsExactly("peanuts", "sesame", "celery");
        assertThat(first.getSkus(0).getPriceFen()).isEqualTo(4800);
        assertThat(first.getSkus(0).getCostFen()).isEqualTo(1900);
    }

    @Test
    void hashIgnoresTheOrderOfAllergensButNotPrices() {
        String before = MenuContent.revisionHash(MenuContent.toProto(menu.getSpec()));
        MenuItem first = menu.getSpec().getItems().get(0);
        List<Allergen> allergens = new ArrayList<>(first.getAllergens());
        Collections.reverse(allergens);
        first.setAllergens(allergens);
        assertThat(MenuContent.revisionHash(MenuContent.toProto(menu.getSpec()))).isEqualTo(before);

        first.getSkus().get(0).setPriceFen(4900L);
        assertThat(MenuContent.revisionHash(MenuContent.toProto(menu.getSpec())))
                .isNotEqualTo(before)
                .matches("[0-9a-f]{64}");
    }

    @Test
    void hashOfWhatTheServiceReturnsSortedMatchesThePublishedOne() {
        io.scanorder.proto.order.v1.Menu published = MenuContent.toProto(menu.getSpec());
        io.scanorder.proto.order.v1.Menu.Builder stored = published.toBuilder();
        // The service stores allergens sorted; the hash must not see a difference.
        Builder item = stored.getItemsBuilder(0);
        List<String> sorted = item.getAllergensList().stream().sorted().toList();
        item.clearAllergens().addAllAllergens(sorted);
        assertThat(MenuContent.revisionHash(stored.build()))
                .isEqualTo(MenuContent.revisionHash(published));
    }

    @Test
    void windowPastMidnightBecomesTwoWindowsTheSecondOnTheFollowingDays() {
        AvailabilityWindow late = new AvailabilityWindow();
        late.setDays(List.of(Weekday.FRIDAY, Weekday.SUNDAY));
        late.setFrom("22:00");
        late.setTo("02:30");
        menu.getSpec().getItems().get(0).setAvailability(List.of(late));
        io.scanorder.proto.order.v1.MenuItem item = MenuContent.toProto(menu.getSpec()).getItems(0);
        assertThat(item.getAvailabilityCount()).isEqualTo(2);
        assertThat(item.getAvailability(0).getDaysOfWeekList()).containsExactly(5, 7);
        assertThat(item.getAvailability(0).getStartMinute()).isEqualTo(22 * 60);
        assertThat(item.getAvailability(0).getEndMinute()).isEqualTo(24 * 60);
        assertThat(item.getAvailability(1).getDaysOfWeekList()).containsExactly(6, 1);
        assertThat(item.getAvailability(1).getStartMinute()).isZero();
        assertThat(item.getAvailability(1).getEndMinute()).isEqualTo(150);
    }

    @Test
    void missingPrepMinutesAndQuantityTakeTheCrdDefaults() {
        menu.getSpec().getItems().get(0).setPrepMinutes(null);
        menu.getSpec().getCombos().get(0).getComponents().get(0).setQuantity(null);
        io.scanorder.proto.order.v1.Menu proto = MenuContent.toProto(menu.getSpec());
        assertThat(proto.getItems(0).getPrepMinutes()).isEqualTo(10);
        assertThat(proto.getCombos(0).getComponents(0).getQuantity()).isEqualTo(1);
    }

    /**
     * The menu of the order service's MenuFixtures.menu(): its MenuCanonicalTest pins the same
     * value, so the operator's hash is the revision hash the service stores and reports.
     */
    static io.scanorder.proto.order.v1.Menu serviceFixtureMenu() {
        io.scanorder.proto.order.v1.Menu.Builder m = io.scanorder.proto.order.v1.Menu.newBuilder();
        m.addCategoriesBuilder().setCategoryCode("noodles").setName("Noodles");
        m.addCategoriesBuilder().setCategoryCode("cold-dishes").setName("Cold dishes");
        m.addCategoriesBuilder().setCategoryCode("drinks").setName("Drinks");
        Builder beef =
                m.addItemsBuilder()
                        .setSpuCode("beef-noodles")
                        .setName("Braised beef noodles")
                        .setCategoryCode("noodles")
                        .setStation("hot")
                        .setPrepMinutes(12)
                        .addAllAllergens(List.of("soy", "gluten"))
                        .setImageUrl("https://img.example.com/beef.jpg");
        beef.addAvailabilityBuilder()
                .addAllDaysOfWeek(List.of(5, 4, 3, 2, 1))
                .setStartMinute(600)
                .setEndMinute(1320);
        beef.addSkusBuilder()
                .setSkuCode("beef-noodles-s")
                .setSpec("small")
                .setPriceFen(2800)
                .setCostFen(900);
        beef.addSkusBuilder()
                .setSkuCode("beef-noodles-l")
                .setSpec("large")
                .setPriceFen(3600)
                .setCostFen(1200);
        m.addItemsBuilder()
                .setSpuCode("cucumber")
                .setName("Smashed cucumber")
                .setCategoryCode("cold-dishes")
                .setStation("cold")
                .setPrepMinutes(3)
                .addAllergens("sesame")
                .addSkusBuilder()
                .setSkuCode("cucumber-std")
                .setPriceFen(1200)
                .setCostFen(300);
        m.addItemsBuilder()
                .setSpuCode("lemon-tea")
                .setName("Iced lemon tea")
                .setCategoryCode("drinks")
                .setStation("bar")
                .setPrepMinutes(2)
                .addSkusBuilder()
                .setSkuCode("lemon-tea-std")
                .setPriceFen(800)
                .setCostFen(150);
        m.addCombosBuilder()
                .setComboCode("lunch-set")
                .setName("Lunch set")
                .setPriceFen(3900)
                .addComponents(
                        io.scanorder.proto.order.v1.ComboComponent.newBuilder()
                                .setSkuCode("lemon-tea-std")
                                .setQuantity(1))
                .addComponents(
                        io.scanorder.proto.order.v1.ComboComponent.newBuilder()
                                .setSkuCode("beef-noodles-s")
                                .setQuantity(1));
        return m.build();
    }

    @Test
    void revisionHashIsTheOrderServicesCanonicalRevisionHash() {
        // Pinned in services/order MenuCanonicalTest#fixtureMenuHashIsPinnedForTheOperator.
        assertThat(MenuContent.revisionHash(serviceFixtureMenu()))
                .isEqualTo("076a7c8a4097bf86b3a01864b3b04e3c038c814865823f27acd09204c6efc547");
        assertThat(CanonicalJson.toJson(MenuContent.normalize(serviceFixtureMenu())))
                .startsWith("{\"categories\":[{\"categoryCode\":\"noodles\",\"name\":\"Noodles\"},")
                .contains(
                        "\"combos\":[{\"comboCode\":\"lunch-set\",\"components\":[{\"quantity\":1,"
                                + "\"skuCode\":\"beef-noodles-s\"},");
    }
}
