package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scanorder.crds.v1alpha1.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StoreConfigTest {
    static Store exampleStore() throws IOException {
        return Serialization.unmarshal(
                Files.readString(Path.of("../crds/examples/store-jingan.yaml")), Store.class);
    }

    @Test
    void configMapCarriesStoreCodeTimezoneAreasStationsAndPayment() throws IOException {
        ConfigMap configMap = StoreConfig.desiredConfigMap(exampleStore());

        assertThat(configMap.getMetadata().getName()).isEqualTo("jingan-config");
        assertThat(configMap.getMetadata().getNamespace()).isEqualTo("lotus-kitchen");
        assertThat(configMap.getData())
                .containsEntry("store.code", "021")
                .containsEntry("store.timezone", "Asia/Shanghai")
                .containsEntry("store.menu", "sichuan-classics")
                .containsEntry("kitchen.stations", "hot,cold,bar")
                .containsEntry("store.table-count", "28")
                .containsEntry("area.0001.tables", "1-24")
                .containsEntry("area.0001.seats", "4")
                .containsEntry("area.0002.tables", "801,802,805,808")
                .containsEntry("area.0002.seats", "10")
                .containsEntry("payment.mode", "service-provider")
                .containsEntry("order.timeout", "15m")
                .containsEntry("order.max-amount-fen", "500000");
        assertThat(new java.util.ArrayList<>(configMap.getData().keySet())).isSorted();
    }

    @Test
    void labelsNameTheStoreTheComponentAndTheOperator() throws IOException {
        ConfigMap configMap = StoreConfig.desiredConfigMap(exampleStore());

        assertThat(configMap.getMetadata().getLabels())
                .containsEntry(StoreNames.STORE, "jingan")
                .containsEntry(StoreNames.STORE_CODE, "021")
                .containsEntry(StoreNames.COMPONENT, "store-config")
                .containsEntry(StoreNames.MANAGED_BY, "scanorder-operator")
                .containsEntry(StoreNames.PART_OF, "scanorder");
    }

    @Test
    void omittedDefaultsAreFilledLikeTheApiServerWould() throws IOException {
        Store store = exampleStore();
        store.getSpec().getPayment().setOrderTimeout(null);
        store.getSpec().getPayment().setMaxOrderAmountFen(null);
        store.getSpec().getAreas().get(0).setSeats(null);

        ConfigMap configMap = StoreConfig.desiredConfigMap(store);

        assertThat(configMap.getData())
                .containsEntry("order.timeout", "15m")
                .containsEntry("area.0001.seats", "4")
                .doesNotContainKey("order.max-amount-fen");
    }

    @Test
    void explicitTableNumbersAreSortedAndCounted() throws IOException {
        Store store = exampleStore();
        store.getSpec().getAreas().get(1).getTables().setNumbers(java.util.List.of(9, 3, 5));

        assertThat(StoreConfig.tableNumbers(store.getSpec().getAreas().get(1).getTables()))
                .containsExactly(3, 5, 9);
        assertThat(StoreConfig.tableCount(store.getSpec())).isEqualTo(27);
        assertThat(StoreConfig.desiredConfigMap(store).getData())
                .containsEntry("area.0002.tables", "3,5,9");
    }

    @Test
    void sameSpecGivesAnEqualConfigMap() throws IOException {
        assertThat(StoreConfig.desiredConfigMap(exampleStore()))
                .isEqualTo(StoreConfig.desiredConfigMap(exampleStore()));
    }

    @Test
    void missingRequiredFieldIsReportedWithItsPath() throws IOException {
        Store store = exampleStore();
        store.getSpec().getAreas().get(1).setTables(null);

        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> StoreConfig.desiredConfigMap(store))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spec.areas[1].tables is required");
    }
}
