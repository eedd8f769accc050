package io.scanorder.payment.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encryption at rest of payment-sensitive columns (payer openid, WeChat transaction id):
 * AES-256-GCM from the JDK, a random 12-byte nonce per value, and the key id stored with the
 * ciphertext, so keys can be rotated: values are written with the current key and read with
 * whichever known key they name. A stored value reads {@code enc1:<keyId>:<base64(nonce ||
 * ciphertext || tag)>}. The field name and the row's key are bound in as associated data, so a
 * ciphertext copied to another row or column fails to decrypt like a tampered one. Lookups use
 * {@link #lookup}, a keyed HMAC-SHA256 that does not change when the encryption key rotates.
 */
public final class FieldCipher {
    /** Prefix of every encrypted value; anything else is a value written before encryption. */
    public static final String PREFIX = "enc1:";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String currentKeyId;
    private final Map<String, SecretKeySpec> keys;
    private final SecretKeySpec lookupKey;

    private FieldCipher(
            String currentKeyId, Map<String, SecretKeySpec> keys, SecretKeySpec lookupKey) {
        this.currentKeyId = currentKeyId;
        this.keys = keys;
        this.lookupKey = lookupKey;
    }

    /**
     * A cipher writing with {@code currentKeyId} and reading with any of {@code keys}.
     *
     * @param keys key id -> 32-byte AES key
     * @param lookupKey the HMAC key of lookup columns, at least 32 bytes
     * @throws IllegalArgumentException naming the key id when a key is unusable
     */
    public static FieldCipher of(String currentKeyId, Map<String, byte[]> keys, byte[] lookupKey) {
        if (!keys.containsKey(currentKeyId)) {
            throw new IllegalArgumentException(
                    "current encryption key id '"
                            + currentKeyId
                            + "' is not among the configured keys "
                            + keys.keySet());
        }
        Map<String, SecretKeySpec> specs = new LinkedHashMap<>();
        keys.forEach(
                (id, key) -> {
                    if (!id.matches("[A-Za-z0-9_-]{1,32}")) {
                        throw new IllegalArgumentException(
                                "encryption key id '"
                                        + id
                                        + "' must be 1-32 characters of [A-Za-z0-9_-]");
                    }
                    if (key.length != 32) {
                        throw new IllegalArgumentException(
                                "encryption key '"
                                        + id
                                        + "' must be 32 bytes (AES-256), got "
                                        + key.length);
                    }
                    specs.put(id, new SecretKeySpec(key, "AES"));
                });
        if (lookupKey.length < 32) {
            throw new IllegalArgumentException(
                    "the lookup (HMAC) key must be at least 32 bytes, got " + lookupKey.length);
        }
        return new FieldCipher(currentKeyId, specs, new SecretKeySpec(lookupKey, "HmacSHA256"));
    }

    public String currentKeyId() {
        return currentKeyId;
    }

    /** Encrypts {@code clear} (null stays null) for column {@code field} of row {@code rowKey}. */
    public String encrypt(String field, String rowKey, String clear) {
        if (clear == null) {
            return null;
        }
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(
                    Cipher.ENCRYPT_MODE,
                    keys.get(currentKeyId),
                    new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(field, rowKey));
            byte[] sealed = c.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            byte[] out =
                    ByteBuffer.allocate(nonce.length + sealed.length)
                            .put(nonce)
                            .put(sealed)
                            .array();
            return PREFIX + currentKeyId + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available in this JVM", e);
        }
    }

    /**
     * Decrypts a stored value of column {@code field} of row {@code rowKey}; null stays null and a
     * value without {@link #PREFIX} (written before encryption) is returned as it is.
     *
     * @throws EncryptedFieldException naming the column and row when the value cannot be decrypted
     */
    public String decrypt(String field, String rowKey, String stored) {
        if (stored == null || !stored.startsWith(PREFIX)) {
            return stored;
        }
        int colon = stored.indexOf(':', PREFIX.length());
        if (colon < 0) {
            throw new EncryptedFieldException(
                    where(field, rowKey) + " is not a valid encrypted value (no key id)");
        }
        String keyId = stored.substring(PREFIX.length(), colon);
        SecretKeySpec key = keys.get(keyId);
        if (key == null) {
            throw new EncryptedFieldException(
                    where(field, rowKey)
                            + " was encrypted with key '"
                            + keyId
                            + "', which is not configured (scanorder.payment.encryption.keys."
                            + keyId
                            + "); known keys: "
                            + keys.keySet());
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new EncryptedFieldException(
                    where(field, rowKey) + " is not valid base64: the stored value was altered");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new EncryptedFieldException(
                    where(field, rowKey) + " is too short to be an AES-GCM value");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            c.updateAAD(aad(field, rowKey));
            byte[] clear = c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES);
            return new String(clear, StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new EncryptedFieldException(
                    where(field, rowKey)
                            + " failed authentication with key '"
                            + keyId
                            + "': the ciphertext was altered or moved from another row, or the"
                            + " key file for '"
                            + keyId
                            + "' holds a different key than the one it was written with");
        } catch (GeneralSecurityException e) {
            throw new EncryptedFieldException(
                    where(field, rowKey) + " cannot be decrypted: " + e.getMessage());
        }
    }

    /**
     * The keyed lookup value of {@code clear} for column {@code field} (hex HMAC-SHA256): equal
     * values give equal lookups, but the value cannot be recovered or guessed without the key.
     */
    public String lookup(String field, String clear) {
        if (clear == null) {
            return null;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(lookupKey);
            mac.update(field.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return HexFormat.of().formatHex(mac.doFinal(clear.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static byte[] aad(String field, String rowKey) {
        return (field + "|" + rowKey).getBytes(StandardCharsets.UTF_8);
    }

    private static String where(String field, String rowKey) {
        return "encrypted column " + field + " of row " + rowKey;
    }

    /** A stored encrypted value that cannot be read; the message names the column and row. */
    public static class EncryptedFieldException extends RuntimeException {
        public EncryptedFieldException(String message) {
            super(message);
        }
    }
}
