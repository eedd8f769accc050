package io.scanorder.payment.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a {@link MerchantConfig} and loads its secrets, reporting every problem at once with the
 * configuration key it concerns. Messages quote public identifiers but never secret material.
 */
public final class MerchantConfigValidator {
    private static final Pattern MCH_ID = Pattern.compile("[0-9]{1,32}");
    private static final Pattern APP_ID = Pattern.compile("wx[0-9a-f]{16}");
    private static final Pattern SERIAL = Pattern.compile("[0-9A-Fa-f]{8,40}");
    private static final int API_V3_KEY_BYTES = 32;

    private final Function<String, String> environment;

    /**
     * @param environment looks up environment variables ({@code System::getenv} in production)
     */
    public MerchantConfigValidator(Function<String, String> environment) {
        this.environment = environment;
    }

    /**
     * Validates the configuration and loads the credentials.
     *
     * @throws IllegalStateException listing every invalid key
     */
    public MerchantCredentials validate(MerchantConfig config) {
        List<String> problems = new ArrayList<>();
        check(problems, "mch-id", config.mchId(), MCH_ID, "1-32 digits");
        check(
                problems,
                "app-id",
                config.appId(),
                APP_ID,
                "'wx' followed by 16 lowercase hex digits");
        check(
                problems,
                "merchant-serial-number",
                config.merchantSerialNumber(),
                SERIAL,
                "8-40 hex digits (the certificate serial number)");
        checkMode(problems, config);
        checkUrl(problems, "notify-url", config.notifyUrl(), false);
        checkUrl(problems, "wechat-base-url", config.wechatBaseUrl(), true);

        PrivateKey privateKey = null;
        try {
            privateKey = loadPrivateKey(key("private-key-path"), config.privateKeyPath());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        byte[] apiV3Key = null;
        try {
            apiV3Key = loadApiV3Key(key("api-v3-key-ref"), config.apiV3KeyRef());
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }

        if (!problems.isEmpty()) {
            throw new IllegalStateException(
                    "invalid WeChat Pay merchant configuration:\n  - "
                            + String.join("\n  - ", problems));
        }
        return new MerchantCredentials(privateKey, apiV3Key);
    }

    private static String key(String name) {
        return MerchantConfig.PREFIX + "." + name;
    }

    private static void check(
            List<String> problems, String name, String value, Pattern pattern, String expected) {
        if (value == null || !pattern.matcher(value).matches()) {
            problems.add(key(name) + " must be " + expected + ", got '" + value + "'");
        }
    }

    /** The sub-merchant fields belong to service-provider mode, and that mode needs them. */
    private static void checkMode(List<String> problems, MerchantConfig config) {
        Optional<String> subMchId = config.subMchId();
        Optional<String> subAppId = config.subAppId();
        if (config.mode() == MerchantConfig.Mode.SERVICE_PROVIDER) {
            if (subMchId.isEmpty()) {
                problems.add(
                        key("sub-mch-id")
                                + " is required in mode SERVICE_PROVIDER (the store's"
                                + " sub-merchant id, Store spec.payment.subMchId)");
            } else {
                check(problems, "sub-mch-id", subMchId.get(), MCH_ID, "1-32 digits");
                if (subMchId.get().equals(config.mchId())) {
                    problems.add(
                            key("sub-mch-id")
                                    + " must differ from "
                                    + key("mch-id")
                                    + " (the service provider's), both are '"
                                    + config.mchId()
                                    + "'");
                }
            }
            subAppId.ifPresent(
                    id ->
                            check(
                                    problems,
                                    "sub-app-id",
                                    id,
                                    APP_ID,
                                    "'wx' followed by 16 lowercase hex digits"));
        } else {
            subMchId.ifPresent(
                    id ->
                            problems.add(
                                    key("sub-mch-id")
                                            + " is set to '"
                                            + id
                                            + "' but mode is DIRECT; set "
                                            + key("mode")
                                            + "=SERVICE_PROVIDER or remove it"));
            subAppId.ifPresent(
                    id ->
                            problems.add(
                                    key("sub-app-id")
                                            + " is set to '"
                                            + id
                                            + "' but mode is DIRECT; it is only used with"
                                            + " SERVICE_PROVIDER"));
        }
    }

    private static void checkUrl(
            List<String> problems, String name, URI uri, boolean queryAllowed) {
        String scheme = uri.getScheme();
        if (scheme == null
                || !(scheme.equals("https") || scheme.equals("http"))
                || uri.getHost() == null) {
            problems.add(key(name) + " must be an absolute http(s) URL, got '" + uri + "'");
        } else if (!queryAllowed && uri.getRawQuery() != null) {
            // WeChat drops notification URLs that carry parameters.
            problems.add(key(name) + " must not have a query string, got '" + uri + "'");
        }
    }

    /** Reads a PKCS#8 PEM RSA private key, as WeChat's {@code apiclient_key.pem} is. */
    static PrivateKey loadPrivateKey(String key, Path path) {
        String pem;
        try {
            pem = Files.readString(path, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot read " + path + ": " + e);
        }
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException(
                    key
                            + ": "
                            + path
                            + " is not a PKCS#8 PEM private key (no "
                            + begin
                            + " block)");
        }
        String base64 = pem.substring(from + begin.length(), to).replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            // The exception text could echo key bytes, so only its type is reported.
            throw new IllegalArgumentException(
                    key
                            + ": "
                            + path
                            + " does not hold a valid RSA private key ("
                            + e.getClass().getSimpleName()
                            + ")");
        }
    }

    private byte[] loadApiV3Key(String key, String ref) {
        SecretRef secretRef = SecretRef.parse(key, ref);
        byte[] value = secretRef.resolve(key, environment).getBytes(StandardCharsets.UTF_8);
        if (value.length != API_V3_KEY_BYTES) {
            throw new IllegalArgumentException(
                    key
                            + " points to "
                            + secretRef
                            + ", whose value is "
                            + value.length
                            + " bytes; the API v3 key must be exactly "
                            + API_V3_KEY_BYTES);
        }
        return value;
    }
}
