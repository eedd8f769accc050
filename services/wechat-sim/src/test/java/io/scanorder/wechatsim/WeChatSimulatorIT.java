package io.scanorder.wechatsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaJscode2SessionResult;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import me.chanjar.weixin.common.error.WxErrorException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Drives the simulator with the real WxJava mini-program SDK, as the order service will. */
class WeChatSimulatorIT {
    private static final String APP_ID = "wx5f3c1b2a9d8e7f60";
    private static final String SECRET = "3b1e0c9d8f7a6b5c4d3e2f1a0b9c8d7e";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WeChatSimulator wechat;

    @BeforeAll
    static void startSimulator() {
        wechat = WeChatSimulator.start(0).registerApp(APP_ID, SECRET);
    }

    @AfterAll
    static void stopSimulator() {
        wechat.close();
    }

    private static WxMaService sdk(String appId, String secret) {
        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(appId);
        config.setSecret(secret);
        config.setApiHostUrl(wechat.baseUrl());
        WxMaService service = new WxMaServiceImpl();
        service.setWxMaConfig(config);
        return service;
    }

    private static int errcode(Throwable e) {
        return ((WxErrorException) e).getError().getErrorCode();
    }

    @Test
    void issuedCodeExchangesForOpenidAndFreshSessionKey() throws Exception {
        String code = wechat.issueLoginCode(APP_ID, "oDiner0001");

        WxMaJscode2SessionResult session =
                sdk(APP_ID, SECRET).getUserService().getSessionInfo(code);

        assertThat(session.getOpenid()).isEqualTo("oDiner0001");
        assertThat(session.getUnionid()).isNull();
        assertThat(Base64.getDecoder().decode(session.getSessionKey())).hasSize(16);
        assertThat(wechat.sessionKey(APP_ID, "oDiner0001")).contains(session.getSessionKey());
    }

    @Test
    void unionidIsReturnedWhenTheLoginHasOne() throws Exception {
        String code = wechat.issueLoginCode(APP_ID, "oDiner0002", "uPerson0002");

        WxMaJscode2SessionResult session =
                sdk(APP_ID, SECRET).getUserService().getSessionInfo(code);

        assertThat(session.getOpenid()).isEqualTo("oDiner0002");
        assertThat(session.getUnionid()).isEqualTo("uPerson0002");
    }

    @Test
    void reusedCodeFailsWith40163() throws Exception {
        WxMaService service = sdk(APP_ID, SECRET);
        String code = wechat.issueLoginCode(APP_ID, "oDiner0003");
        service.getUserService().getSessionInfo(code);

        assertThatThrownBy(() -> service.getUserService().getSessionInfo(code))
                .isInstanceOf(WxErrorException.class)
                .satisfies(e -> assertThat(errcode(e)).isEqualTo(40163));
    }

    @Test
    void unknownCodeFailsWith40029() {
        assertThatThrownBy(
                        () ->
                                sdk(APP_ID, SECRET)
                                        .getUserService()
                                        .getSessionInfo("0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P"))
                .isInstanceOf(WxErrorException.class)
                .satisfies(e -> assertThat(errcode(e)).isEqualTo(40029));
    }

    @Test
    void wrongSecretFailsWith40125() {
        String code = wechat.issueLoginCode(APP_ID, "oDiner0004");

        assertThatThrownBy(
                        () -> sdk(APP_ID, "not-the-secret").getUserService().getSessionInfo(code))
                .isInstanceOf(WxErrorException.class)
                .satisfies(e -> assertThat(errcode(e)).isEqualTo(40125));
    }

    @Test
    void unknownAppIdFailsWith40013() {
        assertThatThrownBy(() -> sdk("wx0000000000000000", SECRET).getAccessToken())
                .isInstanceOf(WxErrorException.class)
                .satisfies(e -> assertThat(errcode(e)).isEqualTo(40013));
    }

    @Test
    void sdkRetrievesAccessTokenValidForTwoHours() throws Exception {
        WxMaService service = sdk(APP_ID, SECRET);
        long before = System.currentTimeMillis();

        String token = service.getAccessToken();

        assertThat(token).isNotBlank();
        assertThat(service.getWxMaConfig().getExpiresTime())
                .isGreaterThan(before + 7000_000L)
                .isLessThanOrEqualTo(System.currentTimeMillis() + 7200_000L);
        assertThat(service.getAccessToken(true)).isNotEqualTo(token);
    }

    @Test
    void sdkInStableTokenModeGetsTheSameTokenUntilForced() throws Exception {
        WxMaService first = sdk(APP_ID, SECRET);
        first.getWxMaConfig().useStableAccessToken(true);
        WxMaService second = sdk(APP_ID, SECRET);
        second.getWxMaConfig().useStableAccessToken(true);

        String token = first.getAccessToken();

        assertThat(second.getAccessToken()).isEqualTo(token);
        assertThat(second.getAccessToken(true)).isNotEqualTo(token);
    }

    @Test
    void loginCodeFromControlApiWorksWithTheSdk() throws Exception {
        JsonNode registered =
                post("/__sim/apps", "{\"appid\":\"wx1111222233334444\",\"secret\":\"s3cr3t\"}");
        assertThat(registered.get("appid").asText()).isEqualTo("wx1111222233334444");
        JsonNode issued =
                post(
                        "/__sim/login-codes",
                        "{\"appid\":\"wx1111222233334444\",\"openid\":\"oViaHttp\"}");
        assertThat(issued.get("expires_in").asInt()).isEqualTo(300);

        WxMaJscode2SessionResult session =
                sdk("wx1111222233334444", "s3cr3t")
                        .getUserService()
                        .getSessionInfo(issued.get("code").asText());

        assertThat(session.getOpenid()).isEqualTo("oViaHttp");
    }

    @Test
    void controlApiNamesTheMissingField() throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(wechat.baseUrl() + "/__sim/login-codes"))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"appid\":\"" + APP_ID + "\"}"))
                                .build());

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("error").asText())
                .isEqualTo("field 'openid' is required (a string)");
    }

    @Test
    void malformedRequestsGetWeChatErrorsNotStackTraces() throws Exception {
        assertThat(getErrcode("/sns/jscode2session")).isEqualTo(41002);
        assertThat(getErrcode("/sns/jscode2session?appid=" + APP_ID)).isEqualTo(41004);
        assertThat(
                        getErrcode(
                                "/sns/jscode2session?appid="
                                        + APP_ID
                                        + "&secret="
                                        + SECRET
                                        + "&grant_type=authorization_code"))
                .isEqualTo(41008);
        assertThat(
                        getErrcode(
                                "/sns/jscode2session?appid="
                                        + APP_ID
                                        + "&secret="
                                        + SECRET
                                        + "&js_code=abc&grant_type=password"))
                .isEqualTo(40002);
        assertThat(
                        getErrcode(
                                "/sns/jscode2session?appid=wxnobody&secret=x&js_code=abc"
                                        + "&grant_type=authorization_code"))
                .isEqualTo(40013);
        assertThat(
                        getErrcode(
                                "/sns/jscode2session?appid="
                                        + APP_ID
                                        + "&secret=wrong"
                                        + "&js_code=abc&grant_type=authorization_code"))
                .isEqualTo(40125);
        assertThat(getErrcode("/cgi-bin/token?grant_type=client_credential&appid=" + APP_ID))
                .isEqualTo(41004);

        HttpResponse<String> badJson =
                send(
                        HttpRequest.newBuilder(
                                        URI.create(wechat.baseUrl() + "/cgi-bin/stable_token"))
                                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                                .build());
        assertThat(JSON.readTree(badJson.body()).get("errcode").asInt()).isEqualTo(47001);
        assertThat(badJson.body()).doesNotContain("Exception").doesNotContain("\tat ");

        HttpResponse<String> wrongMethod =
                send(
                        HttpRequest.newBuilder(URI.create(wechat.baseUrl() + "/cgi-bin/token"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build());
        assertThat(JSON.readTree(wrongMethod.body()).get("errcode").asInt()).isEqualTo(43001);

        HttpResponse<String> unknown =
                send(
                        HttpRequest.newBuilder(URI.create(wechat.baseUrl() + "/cgi-bin/nothing"))
                                .build());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("errmsg").asText())
                .startsWith("invalid url, rid: ");
    }

    private static int getErrcode(String pathAndQuery) throws Exception {
        HttpResponse<String> response =
                send(HttpRequest.newBuilder(URI.create(wechat.baseUrl() + pathAndQuery)).build());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body()).get("errcode").asInt();
    }

    private static JsonNode post(String path, String json) throws Exception {
        HttpResponse<String> response =
                send(
                        HttpRequest.newBuilder(URI.create(wechat.baseUrl() + path))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
