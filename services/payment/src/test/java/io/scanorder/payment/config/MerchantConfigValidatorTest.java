package io.scanorder.payment.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.payment.config.MerchantConfig.Mode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MerchantConfigValidatorTest {
    @TempDir Path secrets;

    private record Config(
            String mchId,
            String appId,
            String merchantSerialNumber,
            Path privateKeyPath,
            String apiV3KeyRef,
            URI notifyUrl,
            URI wechatBaseUrl)
            implements MerchantConfig {
        @Override
        public Mode mode() {
            return Mode.DIRECT;
        }

        @Override
        public Optional<String> subMchId() {
            return Optional.empty();
        }

        @Override
        public Optional<String> subAppId() {
            return Optional.empty();
        }
    }

    /** {@code base} with the mode and sub-merchant fields replaced. */
    private record Moded(MerchantConfig base, Mode mode, String sub, String subApp)
            implements MerchantConfig {
        @Override
        public Optional<String> subMchId() {
            return Optional.ofNullable(sub);
        }

        @Override
        public Optional<String> subAppId() {
            return Optional.ofNullable(subApp);
        }

        @Override
        public String mchId() {
            return base.mchId();
        }

        @Override
        public String appId() {
            return base.appId();
        }

        @Override
        public String merchantSerialNumber() {
            return base.merchantSerialNumber();
        }

        @Override
        public Path privateKeyPath() {
            return base.privateKeyPath();
        }

        @Override
        public String apiV3KeyRef() {
            return base.apiV3KeyRef();
        }

        @Override
        public URI notifyUrl() {
            return base.notifyUrl();
        }

        @Override
        public URI wechatBaseUrl() {
            return base.wechatBaseUrl();
        }
    }

    private Config valid() {
        MerchantSecretFiles.writeTo(secrets);
        return new Config(
                "1900000109",
                "wx5f3c1b2a9d8e7f60",
                "5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
                MerchantSecretFiles.privateKey(secrets),
                "file:" + MerchantSecretFiles.apiV3Key(secrets),
                URI.create("https://pay.example.com/wechat/pay/notify"),
                URI.create("https://api.mch.weixin.qq.com"));
    }

    private final MerchantConfigValidator validator = new MerchantConfigValidator(name -> null);

    @Test
    void validConfigurationLoadsBothSecrets() {
        MerchantCredentials credentials = validator.validate(valid());

        assertThat(credentials.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(credentials.apiV3Key()).hasSize(32);
        assertThat(credentials.toString()).doesNotContain(MerchantSecretFiles.API_V3_KEY);
    }

    @Test
    void everyBadKeyIsReportedByNameAtOnce() {
        Config c = valid();
        Config bad =
                new Config(
                        "19000x",
                        "wxAPP",
                        "not-hex",
                        c.privateKeyPath(),
                        c.apiV3KeyRef(),
                        URI.create("/relative/notify"),
                        URI.create("ftp://api.example.com"));

        assertThatThrownBy(() -> validator.validate(bad))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scanorder.payment.merchant.mch-id must be 1-32 digits")
                .hasMessageContaining("scanorder.payment.merchant.app-id must be 'wx' followed")
                .hasMessageContaining("scanorder.payment.merchant.merchant-serial-number")
                .hasMessageContaining(
                        "scanorder.payment.merchant.notify-url must be an absolute http(s) URL")
                .hasMessageContaining(
                        "scanorder.payment.merchant.wechat-base-url must be an absolute http(s)");
    }

    @Test
    void notifyUrlWithQueryIsRefused() {
        Config c = valid();
        Config bad =
                new Config(
                        c.mchId(),
                        c.appId(),
                        c.merchantSerialNumber(),
                        c.privateKeyPath(),
                        c.apiV3KeyRef(),
                        URI.create("https://pay.example.com/notify?store=001"),
                        c.wechatBaseUrl());

        assertThatThrownBy(() -> validator.validate(bad))
                .hasMessageContaining("notify-url must not have a query string");
    }

    @Test
    void wrongLengthApiV3KeyIsReportedWithoutRevealingIt() throws Exception {
        Config c = valid();
        Files.writeString(MerchantSecretFiles.apiV3Key(secrets), "short-secret-key");

        assertThatThrownBy(() -> validator.validate(c))
                .hasMessageContaining("scanorder.payment.merchant.api-v3-key-ref points to file:")
                .hasMessageContaining("whose value is 16 bytes; the API v3 key must be exactly 32")
                .message()
                .doesNotContain("short-secret-key");
    }

    @Test
    void privateKeyFileThatIsNotAKeyIsNamed() throws Exception {
        Config c = valid();
        Files.writeString(
                c.privateKeyPath(),
                "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n");

        assertThatThrownBy(() -> validator.validate(c))
                .hasMessageContaining(
                        "scanorder.payment.merchant.private-key-path: "
                                + c.privateKeyPath()
                                + " does not hold a valid RSA private key");
    }

    @Test
    void missingPrivateKeyFileIsNamed() {
        Config c = valid();
        Config bad =
                new Config(
                        c.mchId(),
                        c.appId(),
                        c.merchantSerialNumber(),
                        secrets.resolve("nope.pem"),
                        c.apiV3KeyRef(),
                        c.notifyUrl(),
                        c.wechatBaseUrl());

        assertThatThrownBy(() -> validator.validate(bad))
                .hasMessageContaining(
                        "scanorder.payment.merchant.private-key-path: cannot read "
                                + secrets.resolve("nope.pem"));
    }

    @Test
    void serviceProviderModeWithItsSubMerchantIsValid() {
        MerchantConfig sp = new Moded(valid(), Mode.SERVICE_PROVIDER, "1900000901", null);

        assertThat(validator.validate(sp).apiV3Key()).hasSize(32);
        assertThat(
                        validator
                                .validate(
                                        new Moded(
                                                valid(),
                                                Mode.SERVICE_PROVIDER,
                                                "1900000901",
                                                "wx0000000000000901"))
                                .privateKey())
                .isNotNull();
    }

    @Test
    void serviceProviderModeWithoutSubMerchantNamesTheMissingKey() {
        assertThatThrownBy(
                        () ->
                                validator.validate(
                                        new Moded(valid(), Mode.SERVICE_PROVIDER, null, null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(
                        "scanorder.payment.merchant.sub-mch-id is required in mode"
                                + " SERVICE_PROVIDER");
    }

    @Test
    void badSubMerchantFieldsAreNamed() {
        assertThatThrownBy(
                        () ->
                                validator.validate(
                                        new Moded(valid(), Mode.SERVICE_PROVIDER, "19x", "wxNOPE")))
                .hasMessageContaining(
                        "scanorder.payment.merchant.sub-mch-id must be 1-32 digits, got '19x'")
                .hasMessageContaining("scanorder.payment.merchant.sub-app-id must be 'wx'");
        assertThatThrownBy(
                        () ->
                                validator.validate(
                                        new Moded(
                                                valid(),
                                                Mode.SERVICE_PROVIDER,
                                                "1900000109",
                                                null)))
                .hasMessageContaining("sub-mch-id must differ from");
    }

    @Test
    void subMerchantFieldsInDirectModeAreRefusedAsAMixUp() {
        assertThatThrownBy(
                        () ->
                                validator.validate(
                                        new Moded(
                                                valid(),
                                                Mode.DIRECT,
                                                "1900000901",
                                                "wx0000000000000901")))
                .hasMessageContaining(
                        "scanorder.payment.merchant.sub-mch-id is set to '1900000901' but mode"
                                + " is DIRECT")
                .hasMessageContaining("scanorder.payment.merchant.sub-app-id is set to");
    }
}
