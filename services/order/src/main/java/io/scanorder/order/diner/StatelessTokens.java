package io.scanorder.order.diner;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed session tokens that need no store: {@code st1.<payload>.<mac>}, the payload being {@code
 * <expiry epoch seconds>:<openid>} and the MAC HMAC-SHA256 over {@code st1.<payload>}, both
 * base64url. Handed out only while Redis is down, so diners can still log in and order.
 */
public final class StatelessTokens {
    /** Prefix of every stateless token; opaque Redis tokens never contain a dot. */
    public static final String PREFIX = "st1.";

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private static final int MIN_KEY_BYTES = 32;

    private final SecretKeySpec key;

    /** A signer with this key; refuses keys shorter than 32 bytes. */
    public StatelessTokens(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException(
                    "scanorder.diner.sessions.signing-key must hold at least "
                            + MIN_KEY_BYTES
                            + " bytes, got "
                            + key.length);
        }
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    }

    /** What a valid token says. */
    public record Claims(String openid, Instant expiresAt) {}

    /** A token for this openid valid until {@code expiresAt} (second precision). */
    public String sign(String openid, Instant expiresAt) {
        if (openid == null || openid.isEmpty()) {
            throw new IllegalArgumentException("openid must not be empty");
        }
        String payload = expiresAt.getEpochSecond() + ":" + openid;
        String signed = PREFIX + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return signed + "." + B64.encodeToString(mac(signed));
    }

    /** The claims of a well-formed, correctly signed token not expired at {@code now}. */
    public Optional<Claims> verify(String token, Instant now) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= PREFIX.length()) {
            return Optional.empty();
        }
        String signed = token.substring(0, dot);
        try {
            byte[] given = B64D.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(given, mac(signed))) {
                return Optional.empty();
            }
            String payload =
                    new String(
                            B64D.decode(signed.substring(PREFIX.length())), StandardCharsets.UTF_8);
            int colon = payload.indexOf(':');
            if (colon <= 0 || colon == payload.length() - 1) {
                return Optional.empty();
            }
            Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(payload.substring(0, colon)));
            if (!now.isBefore(expiresAt)) {
                return Optional.empty();
            }
            return Optional.of(new Claims(payload.substring(colon + 1), expiresAt));
        } catch (IllegalArgumentException e) {
            // Not base64url or not a number: a forged or mangled token.
            return Optional.empty();
        }
    }

    private byte[] mac(String signed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(signed.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
