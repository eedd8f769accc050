package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.scanorder.crds.v1alpha1.Combo;
import io.scanorder.crds.v1alpha1.ComboComponent;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.crds.v1alpha1.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MenuValidationTest {
    private final Store store = example("store-jingan.yaml", Store.class);
    private final Menu menu = example("menu-sichuan-classics.yaml", Menu.class);

    @Test
    void exampleMenuIsValidForTheExampleStore() {
        assertThat(MenuValidation.violations(menu.getSpec(), List.of(store))).isEmpty();
    }

    @Test
    void stationTheStoreLacksIsNamedWithItsPathAndTheStoresStations() {
        store.getSpec().getStations().removeIf(s -> s.getName().equals("bar"));
        List<String> violations = MenuValidation.violations(menu.getSpec(), List.of(store));
        assertThat(violations).isNotEmpty();
        assertThat(violations.get(0))
                .matches(
                        "spec\\.items\\[\\d+\\]\\.station: 'bar' is not a station of Store"
                                + " jingan \\[cold, hot\\]");
    }

    @Test
    void zeroPriceAndNegativeCostAreRefused() {
        menu.getSpec().getItems().get(0).getSkus().get(0).setPriceFen(0L);
        menu.getSpec().getItems().get(0).getSkus().get(0).setCostFen(-1L);
        assertThat(MenuValidation.violations(menu.getSpec(), List.of(store)))
                .containsExactly(
                        "spec.items[0].skus[0].priceFen: must be > 0, got 0",
                        "spec.items[0].skus[0].costFen: must be >= 0, got -1");
    }

    @Test
    void comboOfAnUnknownSkuAndDuplicateCodesAreRefused() {
        ComboComponent ghost = new ComboComponent();
        ghost.setSkuCode("NOPE-1");
        Combo combo = menu.getSpec().getCombos().get(0);
        combo.getComponents().set(0, ghost);
        menu.getSpec()
                .getItems()
                .get(1)
                .getSkus()
                .get(0)
                .setSkuCode(menu.getSpec().getItems().get(0).getSkus().get(0).getSkuCode());
        menu.getSpec().getItems().get(2).setSpuCode(menu.getSpec().getItems().get(0).getSpuCode());
        assertThat(MenuValidation.violations(menu.getSpec(), List.of(store)))
                .containsExactly(
                        "spec.items[1].skus[0].skuCode: 'COLD-001-R' is used twice in the menu",
                        "spec.items[2].spuCode: 'COLD-001' is used twice",
                        "spec.combos[0].components[0].skuCode: 'NOPE-1' is not a SKU of any"
                                + " item",
                        // The renamed SKU is gone, and the combo that sold it is caught too.
                        "spec.combos[2].components[0].skuCode: 'COLD-002-H' is not a SKU of any"
                                + " item");
    }

    @Test
    void unknownCategoryAndComboCodeClashingWithASkuAreRefused() {
        menu.getSpec().getItems().get(0).setCategory("desserts");
        menu.getSpec().getCombos().get(1).setCode("COLD-003-R");
        List<String> violations = MenuValidation.violations(menu.getSpec(), List.of(store));
        assertThat(violations.get(0))
                .startsWith("spec.items[0].category: 'desserts' is not one of spec.categories");
        assertThat(violations)
                .contains(
                        "spec.combos[1].code: 'COLD-003-R' is already used by another combo or"
                                + " a SKU");
    }

    static <T> T example(String file, Class<T> type) {
        try {
            return Serialization.unmarshal(
                    Files.readString(Path.of("../crds/examples/" + file)), type);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
