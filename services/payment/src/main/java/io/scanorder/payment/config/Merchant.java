package io.scanorder.payment.config;

import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * The configured merchant, validated and with its secrets loaded when the service starts, so a
 * misconfigured pod fails at once with a message naming the bad keys instead of on the first
 * payment.
 */
@Startup
@Singleton
public class Merchant {
    private static final Logger LOG = Logger.getLogger(Merchant.class);

    private final MerchantConfig config;
    private final MerchantCredentials credentials;

    Merchant(MerchantConfig config) {
        this.config = config;
        this.credentials = new MerchantConfigValidator(System::getenv).validate(config);
        // Identifiers only: the key path and secret reference say where secrets are, not what.
        if (config.mode() == MerchantConfig.Mode.SERVICE_PROVIDER) {
            LOG.infof(
                    "WeChat Pay service provider %s (app %s, certificate %s) for sub-merchant %s"
                            + " (app %s) via %s; notifications to %s",
                    config.mchId(),
                    config.appId(),
                    config.merchantSerialNumber(),
                    config.subMchId().orElseThrow(),
                    config.subAppId().orElse("none"),
                    config.wechatBaseUrl(),
                    config.notifyUrl());
        } else {
            LOG.infof(
                    "WeChat Pay merchant %s (app %s, certificate %s) via %s; notifications to %s",
                    config.mchId(),
                    config.appId(),
                    config.merchantSerialNumber(),
                    config.wechatBaseUrl(),
                    config.notifyUrl());
        }
    }

    public MerchantConfig config() {
        return config;
    }

    /** True when orders are placed by a service provider for the sub-merchant. */
    public boolean serviceProvider() {
        return config.mode() == MerchantConfig.Mode.SERVICE_PROVIDER;
    }

    public MerchantCredentials credentials() {
        return credentials;
    }
}
