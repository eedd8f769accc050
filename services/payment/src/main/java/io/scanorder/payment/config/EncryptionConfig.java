package io.scanorder.payment.config;

import io.smallrye.config.ConfigMapping;
import java.util.Map;
import java.util.Optional;

/**
 * Keys for encryption at rest ({@code scanorder.payment.encryption.*}), from the mounted Secret:
 * each a {@link SecretRef} ({@code file:/path} or {@code env:NAME}) to a base64 value.
 */
@ConfigMapping(prefix = "scanorder.payment.encryption")
public interface EncryptionConfig {
    /** Id of the key new values are encrypted with; must be one of {@link #keys()}. */
    String currentKeyId();

    /** Key id -> reference to a base64 32-byte AES key; old ids stay so old rows stay readable. */
    Map<String, String> keys();

    /**
     * Directory of a mounted Secret whose files named {@code k<number>} are further keys, by file
     * name (how the operator hands over rotated keys); {@link #keys()} wins for an id in both.
     */
    Optional<String> keysDir();

    /** Reference to the base64 HMAC key (at least 32 bytes) of lookup columns; never rotated. */
    String lookupKeyRef();
}
