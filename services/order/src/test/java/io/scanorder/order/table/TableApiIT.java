package io.scanorder.order.table;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import jakarta.inject.Inject;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The diner table lookup and the staff QR sheet endpoints over real HTTP. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class TableApiIT {
    private static final String STORE = "751";

    @Inject TableRegistry registry;
    @Inject DataSource dataSource;

    @BeforeEach
    void registerStore() {
        // Idempotent, so every test starts from the same 9 tables (7 in the hall, 2 on the
        // terrace).
        registry.register(TableFixtures.store(STORE, "Harbour Noodles", 7));
    }

    @Test
    void scannedSceneReturnsTheTable() {
        String scene = registry.sheet(STORE, "0002").labels().get(0).scene();
        given().when()
                .get("/api/v1/tables/{scene}", scene)
                .then()
                .statusCode(200)
                .body("storeCode", equalTo(STORE))
                .body("storeName", equalTo("Harbour Noodles"))
                .body("areaCode", equalTo("0002"))
                .body("areaName", equalTo("Terrace"))
                .body("tableNo", equalTo("0010"))
                .body("seats", equalTo(2))
                .body("tableCode", equalTo(scene.substring(0, 12)));
    }

    @Test
    void refusedScenesAnswerWithTheirReasonCodeAndStatus() throws Exception {
        String good = registry.sheet(STORE, "0001").labels().get(2).scene();
        TableKey key = TableFixtures.currentKey(dataSource, STORE);

        char[] typo = good.toCharArray();
        typo[4] = typo[4] == '3' ? '4' : '3';
        char[] tampered = good.toCharArray();
        tampered[20] = tampered[20] == 'Q' ? 'R' : 'Q';

        assertRefused("too-short", 400, "TABLE_CODE_MALFORMED");
        assertRefused(new String(typo), 400, "TABLE_CODE_CHECK_DIGIT");
        assertRefused(new String(tampered), 403, "TABLE_CODE_SIGNATURE");
        assertRefused(
                TableScene.sign(TableCode.of(STORE, "0001", 3), TableKey.generate(1)),
                403,
                "TABLE_CODE_SIGNATURE");
        assertRefused(TableScene.sign(TableCode.of("752", "0001", 1), key), 404, "STORE_UNKNOWN");
        assertRefused(TableScene.sign(TableCode.of(STORE, "0003", 1), key), 404, "AREA_UNKNOWN");
        assertRefused(TableScene.sign(TableCode.of(STORE, "0001", 8), key), 404, "TABLE_UNKNOWN");

        registry.setTableEnabled(STORE, "0001", 3, false);
        try {
            assertRefused(good, 410, "TABLE_DISABLED");
        } finally {
            registry.setTableEnabled(STORE, "0001", 3, true);
        }
    }

    @Test
    void pngSheetCodesDecodeAndResolveThroughTheDinerApi() throws Exception {
        byte[] png =
                given().when()
                        .get("/api/v1/stores/{store}/qr-sheet.png", STORE)
                        .then()
                        .statusCode(200)
                        .contentType("image/png")
                        .header("Content-Disposition", containsString("store-751-qr.png"))
                        .extract()
                        .asByteArray();
        assertResolvesToEveryTable(QrDecoding.decodePng(png, 9), 9);
    }

    @Test
    void pdfSheetForOneAreaHoldsOnlyThatAreasCodes() throws Exception {
        byte[] pdf =
                given().queryParam("area", "0001")
                        .when()
                        .get("/api/v1/stores/{store}/qr-sheet.pdf", STORE)
                        .then()
                        .statusCode(200)
                        .contentType("application/pdf")
                        .extract()
                        .asByteArray();
        assertThat(QrDecoding.pdfPageCount(pdf)).isEqualTo(1);
        List<String> payloads = QrDecoding.decodePdf(pdf, 7);
        assertResolvesToEveryTable(payloads, 7);
        assertThat(payloads).allSatisfy(p -> assertThat(p).contains("?scene=7510001"));
    }

    @Test
    void sheetsOfUnknownStoresOrAreasAreRefusedAsJson() {
        given().when()
                .get("/api/v1/stores/{store}/qr-sheet.pdf", "759")
                .then()
                .statusCode(404)
                .contentType("application/json")
                .body("reason", equalTo("STORE_UNKNOWN"));
        given().queryParam("area", "0042")
                .when()
                .get("/api/v1/stores/{store}/qr-sheet.png", STORE)
                .then()
                .statusCode(404)
                .body("reason", equalTo("AREA_UNKNOWN"))
                .body("message", containsString("0042"));
    }

    private void assertResolvesToEveryTable(List<String> payloads, int tables) {
        assertThat(payloads).hasSize(tables).doesNotHaveDuplicates();
        for (String payload : payloads) {
            assertThat(payload).startsWith("pages/table/index?scene=");
            String scene = QrDecoding.sceneOf(payload);
            given().when()
                    .get("/api/v1/tables/{scene}", scene)
                    .then()
                    .statusCode(200)
                    .body("tableCode", equalTo(scene.substring(0, 12)));
        }
    }

    private static void assertRefused(String scene, int status, String reason) {
        given().when()
                .get("/api/v1/tables/{scene}", scene)
                .then()
                .statusCode(status)
                .contentType("application/json")
                .body("reason", equalTo(reason))
                .body("message", org.hamcrest.Matchers.not(org.hamcrest.Matchers.emptyString()));
    }
}
