package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.proto.order.v1.DiningArea;
import io.scanorder.proto.order.v1.StoreDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreDefinitionsTest {

    static Store example() throws Exception {
        return Serialization.unmarshal(
                Files.readString(Path.of("../crds/examples/store-jingan.yaml")), Store.class);
    }

    @Test
    void exampleStoreMapsAreasTablesStationsAndOrderSettings() throws Exception {
        StoreDefinition d = StoreDefinitions.toProto(example());
        assertThat(d.getStoreCode()).isEqualTo("021");
        assertThat(d.getTimezone()).isEqualTo("Asia/Shanghai");
        assertThat(d.getAreasList())
                .extracting(DiningArea::getAreaCode)
                .containsExactly("0001", "0002");
        assertThat(d.getAreas(0).getTableNumbersCount()).isEqualTo(24);
        assertThat(d.getAreas(0).getSeats()).isEqualTo(4);
        assertThat(d.getAreas(1).getTableNumbersList()).containsExactly(801, 802, 805, 808);
        assertThat(d.getAreas(1).getSeats()).isEqualTo(10);
        assertThat(d.getStationsList()).containsExactly("hot", "cold", "bar");
        assertThat(d.getPaymentTimeoutSeconds()).isEqualTo(900);
        assertThat(d.getMaxOrderAmountFen()).isEqualTo(500_000);
    }

    @Test
    void missingOrderSettingsUseTheCrdDefaultTimeoutAndNoLimit() throws Exception {
        Store store = example();
        store.getSpec().getPayment().setOrderTimeout(null);
        store.getSpec().getPayment().setMaxOrderAmountFen(null);
        store.getSpec().getAreas().get(0).setSeats(null);
        StoreDefinition d = StoreDefinitions.toProto(store);
        assertThat(d.getPaymentTimeoutSeconds()).isEqualTo(900);
        assertThat(d.getMaxOrderAmountFen()).isZero();
        assertThat(d.getAreas(0).getSeats()).isEqualTo(4);
    }

    @Test
    void orderTimeoutsParseHoursMinutesAndSecondsAndRefuseGarbage() {
        assertThat(StoreDefinitions.orderTimeoutSeconds("15m")).isEqualTo(900);
        assertThat(StoreDefinitions.orderTimeoutSeconds("1h30m")).isEqualTo(5400);
        assertThat(StoreDefinitions.orderTimeoutSeconds("90s")).isEqualTo(90);
        assertThat(StoreDefinitions.orderTimeoutSeconds("2h")).isEqualTo(7200);
        assertThatThrownBy(() -> StoreDefinitions.orderTimeoutSeconds("15 minutes"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "spec.payment.orderTimeout must look like 15m, 1h30m or 90s, was '15"
                                + " minutes'");
        assertThatThrownBy(() -> StoreDefinitions.orderTimeoutSeconds(""))
                .hasMessageContaining("spec.payment.orderTimeout");
    }

    /**
     * The content of the order service's StoreCanonicalTest.golden(): that test pins the same hash,
     * so the operator's hash is the one the service stores and GetStore reports.
     */
    @Test
    void contentHashIsTheOrderServicesCanonicalHashWhateverTheListOrder() {
        StoreDefinition golden =
                StoreDefinition.newBuilder()
                        .setStoreCode("021")
                        .setName("莲花小厨 Lotus Kitchen \"Jing'an\"")
                        .setTimezone("Asia/Shanghai")
                        .addAreas(area("0002", "包间 Private rooms", 10, List.of(805, 801)))
                        .addAreas(area("0001", "大堂 Main hall", 4, List.of(2, 1, 3)))
                        .addAllStations(List.of("hot", "bar"))
                        .setPaymentTimeoutSeconds(900)
                        .setMaxOrderAmountFen(500_000)
                        .build();
        assertThat(StoreDefinitions.contentHash(golden))
                .isEqualTo("850809d2cfd296a8481306c5a9ba582aa12f8d325bcdaf73cac6636edfdfad81");
        assertThat(StoreDefinitions.contentHash(StoreDefinitions.normalize(golden)))
                .isEqualTo(StoreDefinitions.contentHash(golden));
        assertThat(
                        StoreDefinitions.contentHash(
                                golden.toBuilder().setPaymentTimeoutSeconds(600).build()))
                .isNotEqualTo(StoreDefinitions.contentHash(golden));
    }

    private static DiningArea area(String code, String name, int seats, List<Integer> tables) {
        return DiningArea.newBuilder()
                .setAreaCode(code)
                .setName(name)
                .setSeats(seats)
                .addAllTableNumbers(tables)
                .build();
    }
}
