package io.scanorder.order.table;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed form of a {@link TableCode} carried in a QR code: the {@code scene} of a WeChat
 * mini-program code (wxacode.getUnlimited allows at most 32 characters from digits, letters and
 * {@code !#$&'()*+,/:;=?@-._~}).
 *
 * <p>Format, always {@value #LENGTH} characters:
 *
 * <pre>
 *   DDDDDDDDDDDD . K SSSSSSSSSSSSSSSS
 *   12 digits      | 16 base64url characters: HMAC-SHA256 truncated to 96 bits
 *                  key id: the signing key's version mod 36, as [0-9a-z]
 * </pre>
 *
 * The MAC covers a domain label, the 12 digits and the key id, under the store's secret. 96 bits
 * keep a forger guessing: even at a million guesses per second for a hundred years (2^51.5
 * requests, far beyond any rate limit) the chance of hitting one valid signature is about 2^-44.
 * Only the store's current and previous keys are accepted, so the 36 key ids never collide in
 * practice. The key id lets a verifier pick the key without trying both.
 */
public final class TableScene {
    /** Length of every scene. */
    public static final int LENGTH = 30;

    /** Signature length in base64url characters (12 bytes = 96 bits). */
    public static final int SIGNATURE_CHARS = 16;

    private static final int SIGNATURE_BYTES = 12;
    private static final int KEY_ID_POSITION = TableCode.LENGTH + 1;
    private static final String DOMAIN = "scanorder-table-v1:";

    private TableScene() {}

    /** A scene whose parts have the right shape and whose check digit matches. */
    public record Parsed(TableCode code, char keyId, String signature) {}

    /** Signs {@code code} with {@code key}. */
    public static String sign(TableCode code, TableKey key) {
        char keyId = keyId(key.version());
        String digits = code.digits();
        return digits + '.' + keyId + mac(key, digits, keyId);
    }

    /** The key id character of a key version. */
    public static char keyId(int version) {
        return Character.forDigit(version % 36, 36);
    }

    /**
     * Checks the shape and the check digit; the signature is checked by {@link #verify}.
     *
     * @throws TableCodeException {@code TABLE_CODE_MALFORMED} or {@code TABLE_CODE_CHECK_DIGIT}
     */
    public static Parsed parse(String scene) {
        if (scene == null || scene.isEmpty()) {
            throw malformed("table scene is empty");
        }
        if (scene.length() != LENGTH) {
            throw malformed(
                    "table scene must be "
                            + LENGTH
                            + " characters (12 digits, '.', key id, "
                            + SIGNATURE_CHARS
                            + "-character signature), got "
                            + scene.length());
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = scene.charAt(i);
            boolean ok;
            String expected;
            if (i < TableCode.LENGTH) {
                ok = Damm.isDigit(c);
                expected = "a digit";
            } else if (i == TableCode.LENGTH) {
                ok = c == '.';
                expected = "'.'";
            } else if (i == KEY_ID_POSITION) {
                ok = Damm.isDigit(c) || (c >= 'a' && c <= 'z');
                expected = "a key id [0-9a-z]";
            } else {
                ok = isBase64Url(c);
                expected = "a signature character [A-Za-z0-9_-]";
            }
            if (!ok) {
                throw malformed(
                        "table scene character "
                                + (i + 1)
                                + " must be "
                                + expected
                                + ", got "
                                + describe(c));
            }
        }
        TableCode code = TableCode.parse(scene.substring(0, TableCode.LENGTH));
        return new Parsed(
                code, scene.charAt(KEY_ID_POSITION), scene.substring(KEY_ID_POSITION + 1));
    }

    /**
     * Verifies the signature against the keys a store accepts (its current and previous key), in
     * constant time with respect to the signature's content.
     *
     * @throws TableCodeException {@code TABLE_CODE_KEY_RETIRED} if no accepted key has the scene's
     *     key id, {@code TABLE_CODE_SIGNATURE} if the signature does not match
     */
    public static void verify(Parsed scene, List<TableKey> acceptedKeys) {
        TableKey key = null;
        for (TableKey k : acceptedKeys) {
            if (keyId(k.version()) == scene.keyId()) {
                key = k;
                break;
            }
        }
        String digits = scene.code().digits();
        if (key == null) {
            throw new TableCodeException(
                    TableCodeError.TABLE_CODE_KEY_RETIRED,
                    "table code "
                            + digits
                            + " was signed with key id '"
                            + scene.keyId()
                            + "', which store "
                            + scene.code().storeCode()
                            + " no longer accepts: the QR sheet must be reprinted");
        }
        byte[] expected = mac(key, digits, scene.keyId()).getBytes(StandardCharsets.US_ASCII);
        byte[] given = scene.signature().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw new TableCodeException(
                    TableCodeError.TABLE_CODE_SIGNATURE,
                    "signature of table code "
                            + digits
                            + " does not match: the code was altered"
                            + " or not issued by store "
                            + scene.code().storeCode());
        }
    }

    private static String mac(TableKey key, String digits, char keyId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.secret(), "HmacSHA256"));
            byte[] full =
                    mac.doFinal(
                            (DOMAIN + digits + '.' + keyId).getBytes(StandardCharsets.US_ASCII));
            byte[] truncated = new byte[SIGNATURE_BYTES];
            System.arraycopy(full, 0, truncated, 0, SIGNATURE_BYTES);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(truncated);
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is mandatory in every Java SE implementation.
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    private static boolean isBase64Url(char c) {
        return (c >= 'A' && c <= 'Z')
                || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9')
                || c == '-'
                || c == '_';
    }

    private static String describe(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    private static TableCodeException malformed(String message) {
        return new TableCodeException(TableCodeError.TABLE_CODE_MALFORMED, message);
    }
}
