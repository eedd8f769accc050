package io.scanorder.wechatsim.pay.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_256_GCM as WeChat Pay uses it for notification resources and platform certificates: the
 * key is the merchant's 32-character API v3 key, the nonce a 12-character string, the ciphertext
 * Base64 of encrypted bytes followed by the 16-byte tag.
 */
public final class AesGcm {
    /** The {@code algorithm} value WeChat puts next to every such ciphertext. */
    public static final String ALGORITHM = "AEAD_AES_256_GCM";

    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;

    /**
     * @param apiV3Key the merchant's API v3 key: exactly 32 bytes of UTF-8
     */
    public AesGcm(String apiV3Key) {
        byte[] raw = apiV3Key.getBytes(StandardCharsets.UTF_8);
        if (raw.length != 32) {
            throw new IllegalArgumentException(
                    "the API v3 key must be 32 bytes, got " + raw.length);
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    /** Encrypts UTF-8 text; returns Base64(ciphertext || tag). */
    public String encrypt(String associatedData, String nonce, String plaintext) {
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, associatedData, nonce);
            byte[] out = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts and authenticates; a wrong key, nonce, associated data or a tampered ciphertext is
     * an {@link IllegalArgumentException}.
     */
    public String decrypt(String associatedData, String nonce, String base64Ciphertext) {
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, associatedData, nonce);
            byte[] out = cipher.doFinal(Base64.getDecoder().decode(base64Ciphertext));
            return new String(out, StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("AES-GCM authentication failed", e);
        }
    }

    private Cipher cipher(int mode, String associatedData, String nonce)
            throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(
                mode, key, new GCMParameterSpec(TAG_BITS, nonce.getBytes(StandardCharsets.UTF_8)));
        if (associatedData != null && !associatedData.isEmpty()) {
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        }
        return cipher;
    }
}
