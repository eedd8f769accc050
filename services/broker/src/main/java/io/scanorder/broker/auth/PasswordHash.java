package io.scanorder.broker.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted PBKDF2-HMAC-SHA256 password hash, written as {@code
 * pbkdf2-sha256$<iterations>$<salt>$<hash>} with salt and hash in unpadded standard Base64.
 */
public final class PasswordHash {

    public static final String SCHEME = "pbkdf2-sha256";

    /**
     * Iterations for new hashes. Device passwords are random secrets written by the operator, so
     * the count mainly protects human-chosen service account passwords; it is stored in each hash,
     * so raising it later does not invalidate existing entries.
     */
    public static final int DEFAULT_ITERATIONS = 210_000;

    private static final int MIN_ITERATIONS = 1_000;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private final int iterations;
    private final byte[] salt;
    private final byte[] hash;

    private PasswordHash(int iterations, byte[] salt, byte[] hash) {
        this.iterations = iterations;
        this.salt = salt;
        this.hash = hash;
    }

    /** Hashes {@code password} with a fresh random salt. */
    public static PasswordHash create(char[] password, int iterations) {
        Objects.requireNonNull(password, "password");
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new PasswordHash(iterations, salt, derive(password, salt, iterations, HASH_BYTES));
    }

    public static PasswordHash create(char[] password) {
        return create(password, DEFAULT_ITERATIONS);
    }

    /**
     * Parses the encoded form.
     *
     * @throws IllegalArgumentException saying which part is wrong
     */
    public static PasswordHash parse(String encoded) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException(
                    "password hash must look like "
                            + SCHEME
                            + "$<iterations>$<salt>$<hash> but has "
                            + parts.length
                            + " '$'-separated parts");
        }
        if (!SCHEME.equals(parts[0])) {
            throw new IllegalArgumentException(
                    "unsupported password hash scheme '" + parts[0] + "', expected " + SCHEME);
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "password hash iterations must be a number but was '" + parts[1] + "'");
        }
        checkIterations(iterations);
        byte[] salt = decode(parts[2], "salt");
        byte[] hash = decode(parts[3], "hash");
        if (salt.length < 8) {
            throw new IllegalArgumentException(
                    "password hash salt must have at least 8 bytes but has " + salt.length);
        }
        if (hash.length < 16) {
            throw new IllegalArgumentException(
                    "password hash must have at least 16 bytes but has " + hash.length);
        }
        return new PasswordHash(iterations, salt, hash);
    }

    /** Constant-time check of a candidate password. */
    public boolean matches(char[] candidate) {
        byte[] derived = derive(candidate, salt, iterations, hash.length);
        return MessageDigest.isEqual(derived, hash);
    }

    public int iterations() {
        return iterations;
    }

    /** The encoded form accepted by {@link #parse(String)}. */
    public String encode() {
        return SCHEME
                + "$"
                + iterations
                + "$"
                + B64.encodeToString(salt)
                + "$"
                + B64.encodeToString(hash);
    }

    @Override
    public String toString() {
        return SCHEME + "(iterations=" + iterations + ")";
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            // PBKDF2WithHmacSHA256 is mandatory in every Java 8+ runtime
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static byte[] decode(String b64, String what) {
        try {
            return B64D.decode(b64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "password hash " + what + " is not valid Base64: " + e.getMessage());
        }
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException(
                    "password hash iterations must be between "
                            + MIN_ITERATIONS
                            + " and "
                            + MAX_ITERATIONS
                            + " but was "
                            + iterations);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PasswordHash other
                && iterations == other.iterations
                && Arrays.equals(salt, other.salt)
                && Arrays.equals(hash, other.hash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(iterations, Arrays.hashCode(salt), Arrays.hashCode(hash));
    }
}
