package io.scanorder.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks manifests against the openAPIV3Schema of the generated CRDs (structure, required fields,
 * patterns, enums, bounds and defaults). CEL rules cannot be evaluated here; we check they are
 * present where the schema alone cannot express the constraint.
 */
class CrdSchemaTest {

    static List<Path> examples() {
        return CrdTestSupport.examples();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyExampleIsValidAgainstItsGeneratedCrd(Path file) {
        JsonNode manifest = CrdTestSupport.tree(CrdTestSupport.read(file));

        assertThat(CrdTestSupport.validate(manifest)).as(file.toString()).isEmpty();
    }

    @Test
    void storeWithTwoDigitStoreCodeIsRejectedNamingTheField() {
        JsonNode store = CrdTestSupport.fixture("store-minimal.yaml");
        ((ObjectNode) store.get("spec")).put("storeCode", "21");

        assertThat(CrdTestSupport.validate(store))
                .singleElement()
                .asString()
                .contains("$.spec.storeCode")
                .contains("^[0-9]{3}$");
    }

    @Test
    void storeWithoutPaymentAndWithBadAreaCodeReportsBothPaths() {
        JsonNode store = CrdTestSupport.fixture("store-minimal.yaml");
        ((ObjectNode) store.get("spec")).remove("payment");
        ((ObjectNode) store.at("/spec/areas/0")).put("code", "1");

        assertThat(CrdTestSupport.validate(store))
                .hasSize(2)
                .anySatisfy(m -> assertThat(m).contains("$.spec").contains("payment"))
                .anySatisfy(m -> assertThat(m).contains("$.spec.areas[0].code"));
    }

    @ParameterizedTest
    @CsvSource({
        "kitchendevice-printer-minimal.yaml, /spec, type, fax, $.spec.type",
        "kitchendevice-printer-minimal.yaml, /spec/printer, copies, 6, $.spec.printer.copies",
        "kitchendevice-printer-minimal.yaml, /spec, heartbeatIntervalSeconds, 1,"
                + " $.spec.heartbeatIntervalSeconds",
        "store-minimal.yaml, /spec/payment, mode, alipay, $.spec.payment.mode",
        "store-minimal.yaml, /spec/payment, orderTimeout, 15 minutes, $.spec.payment.orderTimeout",
        "store-minimal.yaml, /spec/stations/0, name, Hot_Kitchen, $.spec.stations[0].name",
        "menu-minimal.yaml, /spec/items/0, spuCode, hot 1, $.spec.items[0].spuCode",
    })
    void invalidValueIsRejectedAtItsPath(
            String fixture, String parent, String field, String value, String expectedPath) {
        JsonNode manifest = CrdTestSupport.fixture(fixture);
        ObjectNode target = (ObjectNode) manifest.at(parent);
        if (value.matches("-?[0-9]+")) {
            target.put(field, Integer.parseInt(value));
        } else {
            target.put(field, value);
        }

        assertThat(CrdTestSupport.validate(manifest))
                .as("%s with %s=%s", fixture, field, value)
                .singleElement()
                .asString()
                .startsWith(expectedPath);
    }

    @Test
    void menuWithUnknownAllergenAndNegativeCostIsRejected() {
        JsonNode menu = CrdTestSupport.fixture("menu-minimal.yaml");
        ((ObjectNode) menu.at("/spec/items/0")).putArray("allergens").add("shellfish");
        ((ObjectNode) menu.at("/spec/items/0/skus/0")).put("costFen", -1);

        assertThat(CrdTestSupport.validate(menu))
                .hasSize(2)
                .anySatisfy(m -> assertThat(m).startsWith("$.spec.items[0].allergens[0]"))
                .anySatisfy(m -> assertThat(m).startsWith("$.spec.items[0].skus[0].costFen"));
    }

    @ParameterizedTest
    @CsvSource({
        "store-minimal.yaml, store-minimal-defaulted.yaml",
        "menu-minimal.yaml, menu-minimal-defaulted.yaml",
        "kitchendevice-printer-minimal.yaml, kitchendevice-printer-minimal-defaulted.yaml",
    })
    void minimalManifestGetsTheSchemaDefaults(String minimal, String expected) throws Exception {
        JsonNode manifest = CrdTestSupport.fixture(minimal);
        String kind = manifest.path("kind").asText();

        JsonNode defaulted =
                CrdTestSupport.applyDefaults(CrdTestSupport.openApiSchema(kind), manifest);

        assertThat(defaulted).isEqualTo(CrdTestSupport.fixture(expected));
        assertThat(CrdTestSupport.validate(defaulted)).isEmpty();
        // The defaulted manifest also survives the model unchanged.
        Object model =
                Serialization.unmarshal(defaulted.toString(), CrdTestSupport.MODEL.get(kind));
        assertThat(CrdTestSupport.JSON.readTree(Serialization.asJson(model))).isEqualTo(defaulted);
    }

    @Test
    void celRulesCoverWhatTheSchemaCannotSay() {
        JsonNode store = CrdTestSupport.openApiSchema("Store").at("/properties/spec");
        JsonNode menu = CrdTestSupport.openApiSchema("Menu").at("/properties/spec");
        JsonNode device = CrdTestSupport.openApiSchema("KitchenDevice").at("/properties/spec");

        assertThat(rules(store.at("/properties/payment")))
                .contains("self.mode != 'service-provider' || has(self.subMchId)");
        assertThat(rules(store.at("/properties/areas")))
                .contains("self.all(a, self.exists_one(b, b.code == a.code))");
        assertThat(rules(store.at("/properties/stations")))
                .contains("self.all(s, self.exists_one(t, t.name == s.name))");
        assertThat(rules(store.at("/properties/areas/items/properties/tables")))
                .contains("has(self.count) != has(self.numbers)");
        assertThat(String.join("\n", rules(menu)))
                .contains("self.categories.exists(c, c.code == i.category)")
                .contains("s.skuCode == k.skuCode");
        assertThat(rules(device))
                .contains("self.type == 'printer' ? has(self.printer) : !has(self.printer)");
        assertThat(rules(device.at("/properties/printer/properties/paperWidthMm")))
                .contains("self == 58 || self == 80");
    }

    @Test
    void everySpecAndStatusFieldIsDocumented() {
        List<String> undocumented = new ArrayList<>();
        for (String kind : CrdTestSupport.MODEL.keySet()) {
            JsonNode root = CrdTestSupport.openApiSchema(kind);
            collectUndocumented(kind + ".spec", root.at("/properties/spec"), undocumented);
            collectUndocumented(kind + ".status", root.at("/properties/status"), undocumented);
        }
        assertThat(undocumented).isEmpty();
    }

    private static void collectUndocumented(String path, JsonNode schema, List<String> out) {
        // Fields of embedded Kubernetes types (ResourceRequirements) carry upstream docs or none.
        if (path.endsWith(".resources")) {
            return;
        }
        schema.path("properties")
                .fields()
                .forEachRemaining(
                        e -> {
                            String child = path + "." + e.getKey();
                            if (!e.getValue().hasNonNull("description")) {
                                out.add(child);
                            }
                            collectUndocumented(child, e.getValue(), out);
                            collectUndocumented(child + "[]", e.getValue().path("items"), out);
                        });
    }

    private static List<String> rules(JsonNode schema) {
        List<String> rules = new ArrayList<>();
        schema.path("x-kubernetes-validations").forEach(r -> rules.add(r.path("rule").asText()));
        return rules;
    }
}
