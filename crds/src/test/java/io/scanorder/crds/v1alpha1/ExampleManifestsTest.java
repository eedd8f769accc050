package io.scanorder.crds.v1alpha1;

import static io.scanorder.crds.v1alpha1.CrdTestSupport.JSON;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every manifest under crds/examples parses into the model and serialises back unchanged. */
class ExampleManifestsTest {

    static List<Path> examples() {
        return CrdTestSupport.examples();
    }

    @Test
    void examplesCoverEveryKindAndTheDeviceTypesAndRoles() {
        List<HasMetadata> parsed = examples().stream().map(ExampleManifestsTest::parse).toList();

        assertThat(parsed).hasSize(6);
        assertThat(parsed).filteredOn(Store.class::isInstance).hasSize(1);
        assertThat(parsed).filteredOn(Menu.class::isInstance).hasSize(1);
        assertThat(parsed)
                .filteredOn(KitchenDevice.class::isInstance)
                .map(r -> ((KitchenDevice) r).getSpec())
                .extracting(KitchenDeviceSpec::getType, KitchenDeviceSpec::getRole)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(
                                DeviceType.KDS_TABLET, DeviceRole.PRIMARY),
                        org.assertj.core.groups.Tuple.tuple(DeviceType.LED_BOARD, null),
                        org.assertj.core.groups.Tuple.tuple(DeviceType.PRINTER, DeviceRole.BACKUP),
                        org.assertj.core.groups.Tuple.tuple(
                                DeviceType.PRINTER, DeviceRole.PRIMARY));
    }

    @Test
    void storeExampleMapsOntoTypedFields() {
        Store store = (Store) parse(CrdTestSupport.EXAMPLES.resolve("store-jingan.yaml"));

        StoreSpec spec = store.getSpec();
        assertThat(spec.getStoreCode()).isEqualTo("021");
        assertThat(spec.getAreas()).extracting(Area::getCode).containsExactly("0001", "0002");
        assertThat(spec.getAreas().get(0).getTables().getCount()).isEqualTo(24);
        assertThat(spec.getAreas().get(1).getTables().getNumbers())
                .containsExactly(801, 802, 805, 808);
        assertThat(spec.getStations())
                .extracting(Station::getName)
                .containsExactly("hot", "cold", "bar");
        assertThat(spec.getPayment().getMode()).isEqualTo(PaymentMode.SERVICE_PROVIDER);
        assertThat(spec.getServing().getResources().getRequests().get("cpu").toString())
                .isEqualTo("250m");
    }

    @Test
    void menuExampleHasAboutThirtyItemsWithAllergensSkusAndCombos() {
        Menu menu = (Menu) parse(CrdTestSupport.EXAMPLES.resolve("menu-sichuan-classics.yaml"));

        MenuSpec spec = menu.getSpec();
        assertThat(spec.getItems()).hasSizeBetween(28, 35);
        MenuItem kungPao =
                spec.getItems().stream()
                        .filter(i -> i.getName().startsWith("宫保鸡丁"))
                        .findFirst()
                        .orElseThrow();
        assertThat(kungPao.getAllergens()).containsExactly(Allergen.PEANUTS, Allergen.SOYBEANS);
        assertThat(kungPao.getSkus()).extracting(Sku::getPriceFen).containsExactly(4200L, 5800L);
        assertThat(spec.getCombos()).hasSize(3);
        assertThat(spec.getItems())
                .filteredOn(i -> i.getAvailability() != null)
                .flatExtracting(MenuItem::getAvailability)
                .extracting(AvailabilityWindow::getFrom)
                .contains("17:00", "11:00");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void exampleSerialisesBackToTheSameTree(Path file) throws Exception {
        String yaml = CrdTestSupport.read(file);
        JsonNode original = CrdTestSupport.tree(yaml);

        JsonNode roundTripped = JSON.readTree(Serialization.asJson(parse(file)));

        assertThat(roundTripped).as(file.toString()).isEqualTo(original);
    }

    static HasMetadata parse(Path file) {
        String yaml = CrdTestSupport.read(file);
        String kind = CrdTestSupport.tree(yaml).path("kind").asText();
        return Serialization.unmarshal(yaml, CrdTestSupport.MODEL.get(kind));
    }
}
