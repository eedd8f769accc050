package io.scanorder.order.table;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * One version of a store's table-code signing key. {@link #toString()} never shows the secret, so a
 * key that ends up in a log message or exception leaks nothing.
 *
 * @param version 1 for the key made at registration, +1 per rotation
 * @param secret 32 random bytes
 */
public record TableKey(int version, byte[] secret) {
    /** Length of a secret in bytes (256 bits, the HMAC-SHA256 block-size-friendly choice). */
    public static final int SECRET_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    public TableKey {
        if (version < 1) {
            throw new IllegalArgumentException("version: must be >= 1, got " + version);
        }
        if (secret == null || secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("secret: must be " + SECRET_BYTES + " bytes");
        }
        secret = secret.clone();
    }

    /** A new key with a fresh random secret. */
    public static TableKey generate(int version) {
        byte[] secret = new byte[SECRET_BYTES];
        RANDOM.nextBytes(secret);
        return new TableKey(version, secret);
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TableKey k && k.version == version && Arrays.equals(k.secret, secret);
    }

    @Override
    public int hashCode() {
        return 31 * version + Arrays.hashCode(secret);
    }

    @Override
    public String toString() {
        return "TableKey[version=" + version + ", secret=<redacted>]";
    }
}
