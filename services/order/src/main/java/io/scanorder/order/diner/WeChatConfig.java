package io.scanorder.order.diner;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The WeChat mini program the service logs diners into, under {@code scanorder.wechat}. */
@ConfigMapping(prefix = "scanorder.wechat")
public interface WeChatConfig {
    /** The mini program's AppID ({@code wx...}). */
    String appId();

    /** The mini program's AppSecret. */
    String secret();

    /** Base URL of WeChat's API; the WeChat simulator's base URL in tests and local mode. */
    @WithDefault("https://api.weixin.qq.com")
    String apiHostUrl();

    /** Attempts WeChat's SDK makes when WeChat answers "system busy" (-1), after the first. */
    @WithDefault("1")
    int maxRetries();
}
