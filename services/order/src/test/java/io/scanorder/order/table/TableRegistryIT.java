package io.scanorder.order.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The table registry against the embedded PostgreSQL: registration, resolution and refusals. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class TableRegistryIT {

    @Inject TableRegistry registry;
    @Inject DataSource dataSource;

    @Test
    void registeredTablesResolveFromTheirSheetScenes() {
        RegistrationResult result = registry.register(TableFixtures.store("741", "Harbour", 5));
        assertThat(result.created()).isEqualTo(7);
        assertThat(result.keyVersion()).isEqualTo(1);

        QrSheet sheet = registry.sheet("741", null);
        assertThat(sheet.labels()).hasSize(7);
        for (QrSheet.Label label : sheet.labels()) {
            assertThat(label.scene()).hasSizeLessThanOrEqualTo(32);
            assertThat(label.payload()).isEqualTo("pages/table/index?scene=" + label.scene());
            assertThat(registry.resolve(label.scene())).isEqualTo(label.table());
        }
        TableInfo terrace12 = registry.resolve(sceneFor(sheet, "0002", "0012"));
        assertThat(terrace12.storeName()).isEqualTo("Harbour");
        assertThat(terrace12.areaName()).isEqualTo("Terrace");
        assertThat(terrace12.seats()).isEqualTo(2);
        assertThat(registry.sheet("741", "0002").labels())
                .extracting(l -> l.table().tableNo())
                .containsExactly("0010", "0012");
    }

    @Test
    void reRegisteringIsIdempotentAndDisablesTablesDroppedFromTheSpec() {
        registry.register(TableFixtures.store("742", "Harbour", 4));
        QrSheet before = registry.sheet("742", null);

        RegistrationResult again = registry.register(TableFixtures.store("742", "Harbour", 4));
        assertThat(again.created() + again.updated() + again.disabled()).isZero();
        assertThat(again.unchanged()).isEqualTo(6);

        RegistrationResult shrunk = registry.register(TableFixtures.store("742", "Harbour", 2));
        assertThat(shrunk.disabled()).isEqualTo(2);
        assertRefused(
                () -> registry.resolve(sceneFor(before, "0001", "0004")),
                TableCodeError.TABLE_DISABLED);
        assertThat(registry.sheet("742", "0001").labels()).hasSize(2);

        RegistrationResult regrown = registry.register(TableFixtures.store("742", "Harbour", 4));
        assertThat(regrown.updated()).isEqualTo(2);
        assertThat(registry.resolve(sceneFor(before, "0001", "0004")).tableNo()).isEqualTo("0004");
    }

    @Test
    void eachKindOfBadCodeGetsItsOwnReason() throws Exception {
        registry.register(TableFixtures.store("743", "Harbour", 3));
        QrSheet sheet = registry.sheet("743", null);
        String good = sceneFor(sheet, "0001", "0002");
        TableKey key = TableFixtures.currentKey(dataSource, "743");

        assertRefused(() -> registry.resolve("743"), TableCodeError.TABLE_CODE_MALFORMED);

        char[] typo = good.toCharArray();
        typo[9] = typo[9] == '7' ? '8' : '7';
        assertRefused(
                () -> registry.resolve(new String(typo)), TableCodeError.TABLE_CODE_CHECK_DIGIT);

        char[] tampered = good.toCharArray();
        tampered[25] = tampered[25] == 'x' ? 'y' : 'x';
        assertRefused(
                () -> registry.resolve(new String(tampered)), TableCodeError.TABLE_CODE_SIGNATURE);

        String otherSecret = TableScene.sign(TableCode.of("743", "0001", 2), TableKey.generate(1));
        assertRefused(() -> registry.resolve(otherSecret), TableCodeError.TABLE_CODE_SIGNATURE);

        String noSuchStore = TableScene.sign(TableCode.of("744", "0001", 2), key);
        assertRefused(() -> registry.resolve(noSuchStore), TableCodeError.STORE_UNKNOWN)
                .hasMessageContaining("744");

        String noSuchArea = TableScene.sign(TableCode.of("743", "0009", 2), key);
        assertRefused(() -> registry.resolve(noSuchArea), TableCodeError.AREA_UNKNOWN)
                .hasMessageContaining("0009");

        String noSuchTable = TableScene.sign(TableCode.of("743", "0001", 99), key);
        assertRefused(() -> registry.resolve(noSuchTable), TableCodeError.TABLE_UNKNOWN)
                .hasMessageContaining("0099");

        registry.setTableEnabled("743", "0001", 2, false);
        assertRefused(() -> registry.resolve(good), TableCodeError.TABLE_DISABLED);
        registry.setTableEnabled("743", "0001", 2, true);
        assertThat(registry.resolve(good).tableNo()).isEqualTo("0002");
    }

    @Test
    void printedCodesSurviveOneKeyRotationButNotTwo() {
        registry.register(TableFixtures.store("745", "Harbour", 1));
        String printedWithKey1 = sceneFor(registry.sheet("745", null), "0001", "0001");

        assertThat(registry.rotateKey("745")).isEqualTo(2);
        assertThat(registry.resolve(printedWithKey1).tableNo()).isEqualTo("0001");
        String printedWithKey2 = sceneFor(registry.sheet("745", null), "0001", "0001");
        assertThat(printedWithKey2).isNotEqualTo(printedWithKey1);

        assertThat(registry.rotateKey("745")).isEqualTo(3);
        assertRefused(
                        () -> registry.resolve(printedWithKey1),
                        TableCodeError.TABLE_CODE_KEY_RETIRED)
                .hasMessageContaining("reprinted");
        assertThat(registry.resolve(printedWithKey2).tableNo()).isEqualTo("0001");
        // Re-registering keeps the current key rather than starting over.
        assertThat(registry.register(TableFixtures.store("745", "Harbour", 1)).keyVersion())
                .isEqualTo(3);
    }

    @Test
    void invalidSpecsAreRefusedWithTheFieldPath() {
        assertThatThrownBy(() -> registry.register(new StoreTables("74", "X", List.of())))
                .isInstanceOf(InvalidStoreTablesException.class)
                .hasMessageStartingWith("storeCode: must be exactly 3 digits, got '74'");

        StoreTables.Area hall = new StoreTables.Area("0001", "Hall", 4, List.of(1, 2));
        StoreTables.Area badBar = new StoreTables.Area("0002", "Bar", 4, List.of(3, 10_000));
        assertThatThrownBy(
                        () -> registry.register(new StoreTables("746", "X", List.of(hall, badBar))))
                .isInstanceOf(InvalidStoreTablesException.class)
                .hasMessage("areas[1].tables[1]: table number must be within 1..9999, got 10000");

        StoreTables.Area sameCode = new StoreTables.Area("0001", "Bar", 4, List.of(5));
        assertThatThrownBy(
                        () ->
                                registry.register(
                                        new StoreTables("746", "X", List.of(hall, sameCode))))
                .hasMessage("areas[1].code: area 0001 is listed twice");
        // Nothing was written for the refused store.
        assertRefused(() -> registry.sheet("746", null), TableCodeError.STORE_UNKNOWN);
    }

    private static String sceneFor(QrSheet sheet, String area, String table) {
        Map<String, QrSheet.Label> byPlace =
                sheet.labels().stream()
                        .collect(
                                Collectors.toMap(
                                        l -> l.table().areaCode() + "/" + l.table().tableNo(),
                                        Function.identity()));
        QrSheet.Label label = byPlace.get(area + "/" + table);
        assertThat(label).as("label for %s/%s", area, table).isNotNull();
        return label.scene();
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable>
            assertRefused(ThrowingCallable call, TableCodeError reason) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        TableCodeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
