package io.scanorder.wechatsim.pay;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A merchant as WeChat Pay knows it: its number, the app it is bound to, the public half of its API
 * certificate (with that certificate's serial number) and its API v3 key.
 *
 * @param mchid merchant number
 * @param appid the mini program (or official account) bound to it
 * @param publicKey public key of the merchant's API certificate; requests must be signed with the
 *     private key
 * @param serialNo serial number of that certificate, as the merchant puts it in {@code serial_no}
 * @param apiV3Key 32-byte key that encrypts notification resources and platform certificates
 * @param verificationMode how the merchant verifies WeChat's signatures
 */
public record Merchant(
        String mchid,
        String appid,
        PublicKey publicKey,
        String serialNo,
        String apiV3Key,
        VerificationMode verificationMode) {

    public Merchant {
        requireText(mchid, "mchid");
        requireText(appid, "appid");
        Objects.requireNonNull(publicKey, "publicKey");
        if (!"RSA".equals(publicKey.getAlgorithm())) {
            throw new IllegalArgumentException(
                    "merchant "
                            + mchid
                            + ": publicKey must be RSA, got "
                            + publicKey.getAlgorithm());
        }
        requireText(serialNo, "serialNo");
        requireText(apiV3Key, "apiV3Key");
        int keyBytes = apiV3Key.getBytes(StandardCharsets.UTF_8).length;
        if (keyBytes != 32) {
            throw new IllegalArgumentException(
                    "merchant " + mchid + ": apiV3Key must be 32 bytes, got " + keyBytes);
        }
        Objects.requireNonNull(verificationMode, "verificationMode");
    }

    private static void requireText(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("merchant field '" + field + "' is required");
        }
    }

    @Override
    public String toString() {
        // The API v3 key is a secret: keep it out of logs and assertion messages.
        return "Merchant[mchid=" + mchid + ", appid=" + appid + ", serialNo=" + serialNo + "]";
    }
}
