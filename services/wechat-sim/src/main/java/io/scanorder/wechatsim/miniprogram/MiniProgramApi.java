package io.scanorder.wechatsim.miniprogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.wechatsim.http.ApiModule;
import io.scanorder.wechatsim.http.Router;
import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.http.SimResponse;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mini-program server API on {@code api.weixin.qq.com}: access tokens ({@code /cgi-bin/token},
 * {@code /cgi-bin/stable_token}) and login ({@code /sns/jscode2session}).
 */
public final class MiniProgramApi implements ApiModule {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final AppRegistry apps;
    private final AccessTokens tokens;
    private final LoginCodes codes;
    private final Map<String, String> sessionKeys = new ConcurrentHashMap<>();

    public MiniProgramApi(AppRegistry apps, AccessTokens tokens, LoginCodes codes) {
        this.apps = apps;
        this.tokens = tokens;
        this.codes = codes;
    }

    @Override
    public void register(Router router) {
        router.route("/cgi-bin/token", this::token);
        router.route("/cgi-bin/stable_token", this::stableToken);
        router.route("/sns/jscode2session", this::jscode2session);
    }

    /** The session_key last handed out for this user, as the app's server would hold it. */
    public Optional<String> sessionKey(String appId, String openid) {
        return Optional.ofNullable(sessionKeys.get(appId + '/' + openid));
    }

    private SimResponse token(SimRequest request) {
        requireMethod(request, "GET");
        String grantType = request.param("grant_type").orElse("");
        String appId = required(request.param("appid"), WxErrorCode.APPID_MISSING);
        String secret = required(request.param("secret"), WxErrorCode.APPSECRET_MISSING);
        if (!grantType.equals("client_credential")) {
            throw new WxApiException(WxErrorCode.INVALID_GRANT_TYPE);
        }
        apps.authenticate(appId, secret);
        return tokenResponse(tokens.issue(appId));
    }

    private SimResponse stableToken(SimRequest request) {
        requireMethod(request, "POST");
        if (!request.hasBody()) {
            throw new WxApiException(WxErrorCode.EMPTY_POST_DATA);
        }
        JsonNode body = parseJsonObject(request.body());
        String grantType = text(body, "grant_type").orElse("");
        String appId = required(text(body, "appid"), WxErrorCode.APPID_MISSING);
        String secret = required(text(body, "secret"), WxErrorCode.APPSECRET_MISSING);
        if (!grantType.equals("client_credential")) {
            throw new WxApiException(WxErrorCode.INVALID_GRANT_TYPE);
        }
        JsonNode force = body.get("force_refresh");
        if (force != null && !force.isBoolean() && !force.isNull()) {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
        apps.authenticate(appId, secret);
        return tokenResponse(tokens.stable(appId, force != null && force.asBoolean()));
    }

    private SimResponse jscode2session(SimRequest request) {
        requireMethod(request, "GET");
        String appId = required(request.param("appid"), WxErrorCode.APPID_MISSING);
        String secret = required(request.param("secret"), WxErrorCode.APPSECRET_MISSING);
        String code = required(request.param("js_code"), WxErrorCode.CODE_MISSING);
        if (!request.param("grant_type").orElse("").equals("authorization_code")) {
            throw new WxApiException(WxErrorCode.INVALID_GRANT_TYPE);
        }
        apps.authenticate(appId, secret);
        LoginCodes.Login login = codes.redeem(appId, code);

        // WeChat may rotate the session key on every login; the simulator always does, so a
        // server that caches a stale key is caught by tests.
        String sessionKey = newSessionKey();
        sessionKeys.put(appId + '/' + login.openid(), sessionKey);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_key", sessionKey);
        body.put("openid", login.openid());
        login.unionid().ifPresent(u -> body.put("unionid", u));
        return SimResponse.json(200, body);
    }

    private static SimResponse tokenResponse(AccessTokens.IssuedToken token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", token.accessToken());
        body.put("expires_in", token.expiresInSeconds());
        return SimResponse.json(200, body);
    }

    private static void requireMethod(SimRequest request, String method) {
        if (!request.method().equals(method)) {
            throw new WxApiException(
                    method.equals("GET") ? WxErrorCode.REQUIRE_GET : WxErrorCode.REQUIRE_POST);
        }
    }

    private static String required(Optional<String> value, WxErrorCode whenMissing) {
        return value.orElseThrow(() -> new WxApiException(whenMissing));
    }

    private static JsonNode parseJsonObject(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
            }
            return node;
        } catch (IOException e) {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
    }

    private static Optional<String> text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
        return node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText());
    }

    private static String newSessionKey() {
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
