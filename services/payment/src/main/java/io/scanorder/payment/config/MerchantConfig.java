package io.scanorder.payment.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The WeChat Pay merchant this service acts for, from {@code scanorder.payment.merchant.*}. It
 * holds where the secrets are, never the secrets themselves: the private key is read from {@link
 * #privateKeyPath()} and the API v3 key through {@link #apiV3KeyRef()}.
 *
 * <p>In {@link Mode#DIRECT} mode the store is its own merchant. In {@link Mode#SERVICE_PROVIDER}
 * mode (chains) {@link #mchId()}, {@link #appId()} and the keys are the service provider's ({@code
 * sp_mchid}, {@code sp_appid}) and every order is placed for the sub-merchant {@link #subMchId()}.
 */
@ConfigMapping(prefix = MerchantConfig.PREFIX)
public interface MerchantConfig {
    String PREFIX = "scanorder.payment.merchant";

    /** How this store takes payments: as its own merchant, or through a service provider. */
    enum Mode {
        /** The store's own merchant account ({@code /v3/pay/transactions/...}). */
        DIRECT,
        /** A service provider for the sub-merchant ({@code /v3/pay/partner/transactions/...}). */
        SERVICE_PROVIDER
    }

    /** {@code DIRECT} (default) or {@code SERVICE_PROVIDER}. */
    @WithDefault("DIRECT")
    Mode mode();

    /**
     * Merchant id ({@code mchid}) WeChat assigned, digits only; the service provider's {@code
     * sp_mchid} in service-provider mode (the merchant that signs every request).
     */
    String mchId();

    /**
     * AppID of the mini program the diners pay from, {@code wx} + 16 hex digits; the service
     * provider's {@code sp_appid} in service-provider mode.
     */
    String appId();

    /** Service-provider mode only: the store's sub-merchant id ({@code sub_mchid}). */
    Optional<String> subMchId();

    /**
     * Service-provider mode only, optional: the sub-merchant's own mini program ({@code
     * sub_appid}). When set, diners' openids are of that app and go out as {@code sub_openid};
     * otherwise they are of {@link #appId()} and go out as {@code sp_openid}.
     */
    Optional<String> subAppId();

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
