package io.scanorder.wechatsim.control;

import static io.scanorder.wechatsim.control.ControlRequests.jsonObject;
import static io.scanorder.wechatsim.control.ControlRequests.optionalText;
import static io.scanorder.wechatsim.control.ControlRequests.requireMethod;
import static io.scanorder.wechatsim.control.ControlRequests.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanorder.wechatsim.http.ApiModule;
import io.scanorder.wechatsim.http.Router;
import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.http.SimResponse;
import io.scanorder.wechatsim.miniprogram.AppRegistry;
import io.scanorder.wechatsim.miniprogram.LoginCodes;
import io.scanorder.wechatsim.miniprogram.MiniApp;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The simulator's own API under {@code /__sim/}, for local mode and tests in other processes: it
 * plays the parts WeChat's servers cannot be asked for, such as a phone running {@code wx.login()}.
 *
 * <ul>
 *   <li>{@code GET /__sim/health} answers {@code {"status":"UP"}}
 *   <li>{@code POST /__sim/apps} {@code {"appid","secret"}} registers a mini program
 *   <li>{@code POST /__sim/login-codes} {@code {"appid","openid","unionid"?}} issues a login code
 * </ul>
 */
public final class ControlApi implements ApiModule {
    /** Path prefix of every control endpoint; no WeChat API lives under it. */
    public static final String PREFIX = "/__sim";

    private final AppRegistry apps;
    private final LoginCodes codes;

    public ControlApi(AppRegistry apps, LoginCodes codes) {
        this.apps = apps;
        this.codes = codes;
    }

    @Override
    public void register(Router router) {
        router.route(PREFIX + "/health", this::health);
        router.route(PREFIX + "/apps", this::registerApp);
        router.route(PREFIX + "/login-codes", this::issueLoginCode);
    }

    private SimResponse health(SimRequest request) {
        requireMethod(request, "GET");
        return SimResponse.json(200, Map.of("status", "UP"));
    }

    private SimResponse registerApp(SimRequest request) {
        requireMethod(request, "POST");
        JsonNode body = jsonObject(request);
        String appId = requiredText(body, "appid");
        String secret = requiredText(body, "secret");
        try {
            apps.register(new MiniApp(appId, secret));
        } catch (IllegalArgumentException e) {
            throw new ControlApiException(400, e.getMessage());
        }
        return SimResponse.json(200, Map.of("appid", appId));
    }

    private SimResponse issueLoginCode(SimRequest request) {
        requireMethod(request, "POST");
        JsonNode body = jsonObject(request);
        String appId = requiredText(body, "appid");
        String openid = requiredText(body, "openid");
        Optional<String> unionid = optionalText(body, "unionid");
        if (!apps.isRegistered(appId)) {
            throw new ControlApiException(
                    404, "appid '" + appId + "' is not registered; POST " + PREFIX + "/apps first");
        }
        String code;
        try {
            code = codes.issue(new LoginCodes.Login(appId, openid, unionid));
        } catch (IllegalArgumentException e) {
            throw new ControlApiException(400, e.getMessage());
        }
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("code", code);
        response.put("expires_in", LoginCodes.VALIDITY.toSeconds());
        return SimResponse.json(200, response);
    }
}
