package io.scanorder.wechatsim.miniprogram;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The mini programs the simulator knows, and the appid/secret check every credential API does. */
public final class AppRegistry {
    private final Map<String, MiniApp> apps = new ConcurrentHashMap<>();

    /** Registers an app, replacing the secret if the AppID is known (as resetting it would). */
    public void register(MiniApp app) {
        apps.put(app.appId(), app);
    }

    public Optional<MiniApp> find(String appId) {
        return Optional.ofNullable(apps.get(appId));
    }

    public boolean isRegistered(String appId) {
        return apps.containsKey(appId);
    }

    /**
     * Checks credentials in WeChat's order: an unknown AppID is 40013 whatever the secret, a wrong
     * secret for a known AppID is 40125.
     */
    public MiniApp authenticate(String appId, String secret) {
        MiniApp app = apps.get(appId);
        if (app == null) {
            throw new WxApiException(WxErrorCode.INVALID_APPID);
        }
        if (!MessageDigest.isEqual(
                app.secret().getBytes(StandardCharsets.UTF_8),
                secret.getBytes(StandardCharsets.UTF_8))) {
            throw new WxApiException(WxErrorCode.INVALID_APPSECRET);
        }
        return app;
    }
}
