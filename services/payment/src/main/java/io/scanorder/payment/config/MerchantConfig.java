package io.scanorder.payment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;

/**
 * The WeChat Pay merchant this service acts for, from {@code scanorder.payment.merchant.*}. It
 * holds where the secrets are, never the secrets themselves: the private key is read from {@link
 * #privateKeyPath()} and the API v3 key through {@link #apiV3KeyRef()}.
 */
@ConfigMapping(prefix = MerchantConfig.PREFIX)
public interface MerchantConfig {
    String PREFIX = "scanorder.payment.merchant";

    /** Merchant id ({@code mchid}) WeChat assigned, digits only. */
    String mchId();

    /** AppID of the mini program the diners pay from, {@code wx} + 16 hex digits. */
    String appId();

    /** Serial number of the merchant API certificate whose private key signs requests. */
    String merchantSerialNumber();

    /** PEM file with the merchant API private key (PKCS#8, {@code apiclient_key.pem}). */
    Path privateKeyPath();

    /** Where the 32-byte API v3 key is: {@code env:VARIABLE} or {@code file:/path}. */
    String apiV3KeyRef();

    /** URL WeChat posts payment and refund notifications to. */
    URI notifyUrl();

    /** WeChat Pay API root; the simulator's base URL in tests and local mode. */
    @WithDefault("https://api.mch.weixin.qq.com")
    URI wechatBaseUrl();
}
