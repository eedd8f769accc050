package io.scanorder.payment.config;

import java.security.PrivateKey;
import java.util.Arrays;

/**
 * The merchant's secrets once loaded: the request-signing private key and the API v3 key that
 * decrypts notifications. Never printed: {@link #toString()} shows only what is safe.
 */
public final class MerchantCredentials {
    private final PrivateKey privateKey;
    private final byte[] apiV3Key;

    MerchantCredentials(PrivateKey privateKey, byte[] apiV3Key) {
        this.privateKey = privateKey;
        this.apiV3Key = apiV3Key.clone();
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** The 32-byte AES-256-GCM key WeChat encrypts notification resources with. */
    public byte[] apiV3Key() {
        return Arrays.copyOf(apiV3Key, apiV3Key.length);
    }

    @Override
    public String toString() {
        return "MerchantCredentials[privateKey=" + privateKey.getAlgorithm() + ", apiV3Key=***]";
    }
}
