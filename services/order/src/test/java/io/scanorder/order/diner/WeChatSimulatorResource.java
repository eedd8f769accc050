package io.scanorder.order.diner;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scanorder.wechatsim.WeChatSimulator;
import java.util.Map;

/**
 * Starts the WeChat simulator for a test class, registers the test mini program and points the
 * service's WeChat SDK at it.
 */
public class WeChatSimulatorResource implements QuarkusTestResourceLifecycleManager {
    /** The app id and secret of the %test profile. */
    public static final String APP_ID = "wx00000000000a11ce";

    public static final String SECRET = "test-secret";

    private static volatile WeChatSimulator wechat;

    /** The running simulator, for issuing login codes. */
    public static WeChatSimulator wechat() {
        return wechat;
    }

    @Override
    public Map<String, String> start() {
        wechat = WeChatSimulator.start(0).registerApp(APP_ID, SECRET);
        return Map.of(
                "scanorder.wechat.api-host-url",
                wechat.baseUrl(),
                "scanorder.wechat.app-id",
                APP_ID,
                "scanorder.wechat.secret",
                SECRET,
                // Fail fast in the "WeChat unreachable" test instead of retrying for seconds.
                "scanorder.wechat.max-retries",
                "0");
    }

    @Override
    public void stop() {
        if (wechat != null) {
            wechat.close();
            wechat = null;
        }
    }
}
