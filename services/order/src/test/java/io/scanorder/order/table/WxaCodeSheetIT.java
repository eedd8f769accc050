package io.scanorder.order.table;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.diner.WeChatSimulatorResource;
import io.scanorder.wechatsim.WeChatSimulator;
import io.scanorder.wechatsim.miniprogram.WxaCodeContent;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * QR sheets in {@code wxacode} mode: every card carries the code the real weixin-java-miniapp SDK
 * fetched from the WeChat simulator for that table's scene, and WeChat's refusals fail the sheet
 * with the table and errcode.
 */
@QuarkusTest
@TestProfile(WxaCodeSheetIT.WxaCodeMode.class)
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WeChatSimulatorResource.class, restrictToAnnotatedClass = true)
class WxaCodeSheetIT {
    private static final String APP_ID = WeChatSimulatorResource.APP_ID;
    private static final String PAGE = "pages/table/index";

    /** The mode under test. */
    public static class WxaCodeMode implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("scanorder.order.qr-sheet.code", "wxacode");
        }
    }

    @Inject TableRegistry registry;

    private static WeChatSimulator wechat() {
        return WeChatSimulatorResource.wechat();
    }

    @AfterEach
    void restoreWeChat() {
        wechat().registerApp(APP_ID, WeChatSimulatorResource.SECRET);
        wechat().publishPages(APP_ID, PAGE);
    }

    private static byte[] sheet(String store, String extension, int status) {
        return given().when()
                .get("/api/v1/stores/{store}/qr-sheet." + extension, store)
                .then()
                .statusCode(status)
                .extract()
                .asByteArray();
    }

    /** Each decoded card opens the configured page of our app with a scene that resolves. */
    private void assertWeChatCodesOfEveryTable(String store, List<String> texts, int tables) {
        assertThat(texts).hasSize(tables).doesNotHaveDuplicates();
        List<String> expectedScenes =
                registry.sheet(store, null).labels().stream()
                        .map(QrSheet.Label::scene)
                        .limit(tables)
                        .toList();
        List<WxaCodeContent> codes = texts.stream().map(WxaCodeContent::parse).toList();
        assertThat(codes)
                .allSatisfy(
                        c -> {
                            assertThat(c.appId()).isEqualTo(APP_ID);
                            assertThat(c.page()).isEqualTo(PAGE);
                            assertThat(c.envVersion()).isEqualTo("release");
                        });
        assertThat(codes).extracting(WxaCodeContent::scene).isEqualTo(expectedScenes);
        for (WxaCodeContent code : codes) {
            given().when()
                    .get("/api/v1/tables/{scene}", code.scene())
                    .then()
                    .statusCode(200)
                    .body("storeCode", equalTo(store))
                    .body("tableCode", equalTo(code.scene().substring(0, 12)));
        }
    }

    @Test
    void pngSheetCardsCarryTheWeChatCodeOfEachTablesScene() throws Exception {
        registry.register(TableFixtures.store("761", "Wok Corner", 7));
        wechat().publishPages(APP_ID, PAGE);

        byte[] png = sheet("761", "png", 200);

        assertWeChatCodesOfEveryTable("761", QrDecoding.decodePng(png, 9), 9);
    }

    @Test
    void pdfSheetCardsCarryTheWeChatCodes() throws Exception {
        registry.register(TableFixtures.store("762", "Dumpling Hall", 5));

        byte[] pdf =
                given().queryParam("area", "0001")
                        .when()
                        .get("/api/v1/stores/{store}/qr-sheet.pdf", "762")
                        .then()
                        .statusCode(200)
                        .contentType("application/pdf")
                        .extract()
                        .asByteArray();

        assertWeChatCodesOfEveryTable("762", QrDecoding.decodePdf(pdf, 5), 5);
    }

    @Test
    void codesAreCachedPerSceneSoAReprintDoesNotAskWeChatAgain() throws Exception {
        registry.register(TableFixtures.store("763", "Noodle Bar", 2));
        sheet("763", "png", 200);
        // Were WeChat asked again, it would refuse the page that is no longer published.
        wechat().publishPages(APP_ID, "pages/other/index");

        byte[] png = sheet("763", "png", 200);

        assertWeChatCodesOfEveryTable("763", QrDecoding.decodePng(png, 4), 4);
    }

    @Test
    void pageMissingFromThePublishedAppFailsTheSheetNamingTableAndErrcode() {
        registry.register(TableFixtures.store("764", "Tea House", 3));
        wechat().publishPages(APP_ID, "pages/other/index");

        given().when()
                .get("/api/v1/stores/{store}/qr-sheet.png", "764")
                .then()
                .statusCode(502)
                .contentType("application/json")
                .body("reason", equalTo("WXACODE_FAILED"))
                .body(
                        "message",
                        allOf(
                                containsString("table " + TableCode.of("764", "0001", 1).digits()),
                                containsString("errcode 41030"),
                                containsString("page 'pages/table/index'"),
                                containsString("scanorder.tables.mini-program-page")));
    }

    @Test
    void refusedCredentialsFailTheSheetAndTheServiceRecoversWhenTheyAreRight() throws Exception {
        registry.register(TableFixtures.store("765", "Rice Bowl", 1));
        // A secret reset: every token is void and the configured secret no longer matches.
        wechat().revokeAccessTokens(APP_ID);
        wechat().registerApp(APP_ID, "reset-in-the-wechat-console");

        given().when()
                .get("/api/v1/stores/{store}/qr-sheet.pdf", "765")
                .then()
                .statusCode(502)
                .body("reason", equalTo("WXACODE_FAILED"))
                .body(
                        "message",
                        allOf(
                                containsString("table " + TableCode.of("765", "0001", 1).digits()),
                                containsString("errcode 40125"),
                                containsString("scanorder.wechat.secret")));

        // The secret is set back and the old token is gone: the SDK fetches a new stable token.
        wechat().registerApp(APP_ID, WeChatSimulatorResource.SECRET);
        wechat().revokeAccessTokens(APP_ID);
        assertWeChatCodesOfEveryTable("765", QrDecoding.decodePng(sheet("765", "png", 200), 3), 3);
    }
}
