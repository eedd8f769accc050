package io.scanorder.wechatsim.miniprogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaCodeLineColor;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.scanorder.wechatsim.MutableClock;
import io.scanorder.wechatsim.WeChatSimulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import me.chanjar.weixin.common.error.WxErrorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Unlimited mini-program codes through the real WxJava SDK and raw HTTP, read back with ZXing. */
class WxaCodeIT {
    private static final String APP_ID = "wx7a6b5c4d3e2f1a0b";
    private static final String SECRET = "0f1e2d3c4b5a69788796a5b4c3d2e1f0";
    private static final String PUBLISHED_APP = "wx1122334455667788";
    private static final String SCENE = "t=001-0001-0007!sig~AbC_9";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final MutableClock clock =
            new MutableClock(Instant.parse("2026-11-26T08:00:00Z"));
    private static WeChatSimulator wechat;

    @BeforeAll
    static void startSimulator() {
        wechat =
                WeChatSimulator.start("127.0.0.1", 0, clock)
                        .registerApp(APP_ID, SECRET)
                        .registerApp(PUBLISHED_APP, SECRET)
                        .publishPages(PUBLISHED_APP, "pages/table/index", "pages/index/index");
    }

    @AfterAll
    static void stopSimulator() {
        wechat.close();
    }

    private static WxMaService sdk(String appId) {
        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(appId);
        config.setSecret(SECRET);
        config.setApiHostUrl(wechat.baseUrl());
        WxMaService service = new WxMaServiceImpl();
        service.setWxMaConfig(config);
        return service;
    }

    private static byte[] code(WxMaService sdk, String scene, String page, int width)
            throws WxErrorException {
        return sdk.getQrcodeService()
                .createWxaCodeUnlimitBytes(
                        scene,
                        page,
                        true,
                        "release",
                        width,
                        false,
                        new WxMaCodeLineColor("0", "0", "0"),
                        false);
    }

    private static BufferedImage image(byte[] png) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static WxaCodeContent decode(byte[] png) throws Exception {
        BinaryBitmap bitmap =
                new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image(png))));
        String text =
                new QRCodeReader()
                        .decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE))
                        .getText();
        return WxaCodeContent.parse(text);
    }

    private static int errcode(Throwable e) {
        return ((WxErrorException) e).getError().getErrorCode();
    }

    private static String token() throws Exception {
        return sdk(APP_ID).getAccessToken();
    }

    private static HttpResponse<byte[]> post(String token, String json) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(
                                URI.create(
                                        wechat.baseUrl()
                                                + WxaCodeApi.PATH
                                                + "?access_token="
                                                + token))
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static int errcodeOf(HttpResponse<byte[]> response) throws Exception {
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = JSON.readTree(response.body());
        return body.get("errcode").asInt();
    }

    @Test
    void sdkGetsPngWhoseQrCodeCarriesAppPageAndScene() throws Exception {
        byte[] png = code(sdk(APP_ID), SCENE, "pages/table/index", 430);

        assertThat(image(png).getWidth()).isEqualTo(430);
        assertThat(image(png).getHeight()).isEqualTo(430);
        assertThat(decode(png))
                .isEqualTo(new WxaCodeContent(APP_ID, "pages/table/index", SCENE, "release"));
    }

    @Test
    void rawResponseIsImagePng() throws Exception {
        HttpResponse<byte[]> response =
                post(token(), "{\"scene\":\"a=1\",\"width\":280,\"env_version\":\"trial\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(decode(response.body()))
                .isEqualTo(new WxaCodeContent(APP_ID, "", "a=1", "trial"));
    }

    @Test
    void lineColourAndTransparentBackgroundAreDrawn() throws Exception {
        HttpResponse<byte[]> response =
                post(
                        token(),
                        "{\"scene\":\"c=2\",\"line_color\":{\"r\":\"200\",\"g\":0,\"b\":\"0\"},"
                                + "\"is_hyaline\":true}");

        BufferedImage image = image(response.body());
        assertThat(image.getColorModel().hasAlpha()).isTrue();
        // The corner is quiet zone: transparent. Somewhere there is a red module.
        assertThat(image.getRGB(0, 0) >>> 24).isZero();
        boolean red = false;
        for (int y = 0; y < image.getHeight() && !red; y++) {
            for (int x = 0; x < image.getWidth() && !red; x++) {
                red = image.getRGB(x, y) == 0xFFC80000;
            }
        }
        assertThat(red).as("a module drawn in line_color rgb(200,0,0)").isTrue();
    }

    @Test
    void sdkRefreshesARevokedTokenAndStillGetsTheCode() throws Exception {
        WxMaService sdk = sdk(APP_ID);
        sdk.getAccessToken();
        wechat.revokeAccessTokens(APP_ID);

        assertThat(decode(code(sdk, "r=1", "pages/index/index", 430)).scene()).isEqualTo("r=1");
    }

    @Test
    void unknownTokenIs40001() throws Exception {
        assertThat(errcodeOf(post("not-a-token", "{\"scene\":\"a=1\"}"))).isEqualTo(40001);
    }

    @Test
    void missingTokenIs41001() throws Exception {
        assertThat(errcodeOf(post("", "{\"scene\":\"a=1\"}"))).isEqualTo(41001);
    }

    @Test
    void expiredTokenIs42001() throws Exception {
        String token = token();
        clock.advance(Duration.ofHours(2).plusSeconds(1));

        assertThat(errcodeOf(post(token, "{\"scene\":\"a=1\"}"))).isEqualTo(42001);
    }

    @Test
    void sceneWithUnsupportedCharacterIs40129() {
        assertThatThrownBy(() -> code(sdk(APP_ID), "table 7", "pages/table/index", 430))
                .isInstanceOf(WxErrorException.class)
                .satisfies(e -> assertThat(errcode(e)).isEqualTo(40129));
    }

    @Test
    void emptyOrOverlongSceneIs40169() throws Exception {
        assertThat(errcodeOf(post(token(), "{\"page\":\"pages/index/index\"}"))).isEqualTo(40169);
        assertThatThrownBy(() -> code(sdk(APP_ID), "x".repeat(33), "pages/table/index", 430))
                .satisfies(e -> assertThat(errcode(e)).isEqualTo(40169));
        assertThat(decode(code(sdk(APP_ID), "x".repeat(32), "pages/table/index", 430)).scene())
                .hasSize(32);
    }

    @Test
    void malformedPageIs41030() {
        for (String page : new String[] {"/pages/table/index", "pages/table/index?t=1"}) {
            assertThatThrownBy(() -> code(sdk(APP_ID), "a=1", page, 430))
                    .as(page)
                    .satisfies(e -> assertThat(errcode(e)).isEqualTo(41030));
        }
    }

    @Test
    void pageMissingFromThePublishedReleaseIs41030UnlessCheckPathIsOff() throws Exception {
        WxMaService sdk = sdk(PUBLISHED_APP);
        assertThat(decode(code(sdk, "a=1", "pages/table/index", 430)).page())
                .isEqualTo("pages/table/index");
        assertThatThrownBy(() -> code(sdk, "a=1", "pages/new/index", 430))
                .satisfies(e -> assertThat(errcode(e)).isEqualTo(41030));

        byte[] unchecked =
                sdk.getQrcodeService()
                        .createWxaCodeUnlimitBytes(
                                "a=1",
                                "pages/new/index",
                                false,
                                "develop",
                                430,
                                false,
                                null,
                                false);
        assertThat(decode(unchecked).page()).isEqualTo("pages/new/index");
    }

    @Test
    void widthOutsideTheDocumentedRangeIs40097() {
        for (int width : new int[] {279, 1281}) {
            assertThatThrownBy(() -> code(sdk(APP_ID), "a=1", "pages/table/index", width))
                    .as("width %d", width)
                    .satisfies(e -> assertThat(errcode(e)).isEqualTo(40097));
        }
    }

    @Test
    void unknownEnvVersionIs40097AndWrongJsonTypesAre47001() throws Exception {
        String token = token();
        assertThat(errcodeOf(post(token, "{\"scene\":\"a=1\",\"env_version\":\"beta\"}")))
                .isEqualTo(40097);
        assertThat(errcodeOf(post(token, "{\"scene\":\"a=1\",\"width\":\"wide\"}")))
                .isEqualTo(47001);
        assertThat(errcodeOf(post(token, "[\"a=1\"]"))).isEqualTo(47001);
        assertThat(errcodeOf(post(token, ""))).isEqualTo(44002);
    }
}
