package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Desired state of a KitchenDevice's MQTT credentials: the device's own Secret (clear-text
 * password, broker settings, enrollment code) and the broker's Secret holding only the password
 * hash, as one {@code username:device:store:pbkdf2-sha256$iterations$salt$hash} line in the
 * broker's credential file format.
 */
public final class DeviceCredentials {
    /** Label the broker's credential watcher selects its Secrets by. */
    public static final String BROKER_LABEL = "scanorder.io/broker-credentials";

    /** Key of the broker Secret holding the credential line (projected as one file). */
    public static final String BROKER_KEY = "credentials";

    /** Keys of the device Secret. */
    public static final String USERNAME = "username";

    public static final String PASSWORD = "password";
    public static final String BROKER_URI = "broker-uri";
    public static final String STORE_CODE = "store-code";
    public static final String ENROLLMENT_CODE = "enrollment-code";
    public static final String ENROLLMENT_CODE_HASH = "enrollment-code-hash";
    public static final String ENROLLMENT_EXPIRES_AT = "enrollment-expires-at";

    /** Environment variable with the MQTT URI devices connect to. */
    public static final String BROKER_URI_ENV = "SCANORDER_BROKER_URI";

    static final String DEFAULT_BROKER_URI = "ssl://scanorder-broker:8883";

    /** How long an enrollment code may be redeemed after it is issued. */
    public static final Duration ENROLLMENT_VALIDITY = Duration.ofHours(24);

    /** Same scheme and default cost as the broker's PasswordHash, which verifies these lines. */
    static final String SCHEME = "pbkdf2-sha256";

    static final int ITERATIONS = 210_000;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int PASSWORD_BYTES = 24;

    /** No 0/O, 1/I/L or U: read aloud and typed on a device keypad without confusion. */
    static final String CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private DeviceCredentials() {}

    /** Name of the device's own Secret. */
    public static String deviceSecretName(KitchenDevice device) {
        return device.getMetadata().getName() + "-mqtt";
    }

    /** Name of the Secret the broker mounts with this device's hashed credential. */
    public static String brokerSecretName(KitchenDevice device) {
        return device.getMetadata().getName() + "-broker-credential";
    }

    /** The MQTT URI devices connect to, from the operator's environment. */
    public static String brokerUri(Map<String, String> env) {
        String uri = env.getOrDefault(BROKER_URI_ENV, DEFAULT_BROKER_URI);
        if (!uri.matches("^(tcp|ssl|ws|wss)://[^\\s/]+(:\\d+)?(/\\S*)?$")) {
            throw new IllegalArgumentException(
                    BROKER_URI_ENV
                            + " must be an MQTT URI like ssl://host:8883, was '"
                            + uri
                            + "'");
        }
        return uri;
    }

    /** A fresh random password: 24 bytes, URL-safe Base64 (never contains ':' or '$'). */
    public static String newPassword(SecureRandom random) {
        byte[] bytes = new byte[PASSWORD_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A fresh one-time enrollment code like {@code K7QX-M2PD}: 8 symbols, about 39 bits. */
    public static String newEnrollmentCode(SecureRandom random) {
        StringBuilder code = new StringBuilder(9);
        for (int i = 0; i < 8; i++) {
            if (i == 4) {
                code.append('-');
            }
            code.append(CODE_ALPHABET.charAt(random.nextInt(CODE_ALPHABET.length())));
        }
        return code.toString();
    }

    /** Salted PBKDF2-HMAC-SHA256 of {@code secret} in the broker's encoded form. */
    public static String hash(String secret, SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return SCHEME
                + "$"
                + ITERATIONS
                + "$"
                + B64.encodeToString(salt)
                + "$"
                + B64.encodeToString(derive(secret, salt, ITERATIONS, HASH_BYTES));
    }

    /** Whether {@code candidate} matches an encoded hash made by {@link #hash}. */
    public static boolean matches(String encoded, String candidate) {
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            throw new IllegalArgumentException(
                    "hash must look like " + SCHEME + "$<iterations>$<salt>$<hash>");
        }
        byte[] salt = Base64.getDecoder().decode(parts[2]);
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(candidate, salt, Integer.parseInt(parts[1]), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Prefix of the broker line that identifies the device; the hash follows it. */
    public static String brokerLinePrefix(String username, String storeCode) {
        if (username == null || username.isBlank() || username.contains(":")) {
            throw new IllegalArgumentException(
                    "metadata.name must be a non-blank name without ':', was '" + username + "'");
        }
        if (storeCode == null || !storeCode.matches("^[0-9]{3}$")) {
            throw new IllegalArgumentException(
                    "spec.storeCode of the referenced Store must be 3 digits, was '"
                            + storeCode
                            + "'");
        }
        return username + ":device:" + storeCode + ":";
    }

    /** The broker credential line for a device: no clear text, only the hash. */
    public static String brokerLine(String username, String storeCode, String passwordHash) {
        return brokerLinePrefix(username, storeCode) + passwordHash;
    }

    /** Issued secrets of one device, kept across reconciles once generated. */
    public record Issued(
            String password,
            String enrollmentCode,
            String enrollmentCodeHash,
            Instant enrollmentExpiresAt) {

        /** Fresh password and enrollment code, the code valid for {@link #ENROLLMENT_VALIDITY}. */
        public static Issued generate(SecureRandom random, Instant now) {
            String code = newEnrollmentCode(random);
            return new Issued(
                    newPassword(random), code, hash(code, random), now.plus(ENROLLMENT_VALIDITY));
        }

        /** Reads what an earlier pass wrote into the device Secret, if it is complete. */
        public static java.util.Optional<Issued> from(Secret existing) {
            if (existing == null || existing.getData() == null) {
                return java.util.Optional.empty();
            }
            Map<String, String> data = existing.getData();
            for (String key :
                    new String[] {
                        PASSWORD, ENROLLMENT_CODE, ENROLLMENT_CODE_HASH, ENROLLMENT_EXPIRES_AT
                    }) {
                if (data.get(key) == null) {
                    return java.util.Optional.empty();
                }
            }
            return java.util.Optional.of(
                    new Issued(
                            decode(data.get(PASSWORD)),
                            decode(data.get(ENROLLMENT_CODE)),
                            decode(data.get(ENROLLMENT_CODE_HASH)),
                            Instant.parse(decode(data.get(ENROLLMENT_EXPIRES_AT)))));
        }
    }

    /** The device's own Secret, owned by the device: everything its agent needs to connect. */
    public static Secret deviceSecret(
            KitchenDevice device, String storeCode, String brokerUri, Issued issued) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(USERNAME, device.getMetadata().getName());
        data.put(PASSWORD, issued.password());
        data.put(BROKER_URI, brokerUri);
        data.put(STORE_CODE, storeCode);
        data.put(ENROLLMENT_CODE, issued.enrollmentCode());
        data.put(ENROLLMENT_CODE_HASH, issued.enrollmentCodeHash());
        data.put(ENROLLMENT_EXPIRES_AT, issued.enrollmentExpiresAt().toString());
        return new SecretBuilder()
                .withNewMetadata()
                .withName(deviceSecretName(device))
                .withNamespace(device.getMetadata().getNamespace())
                .withLabels(labels(device))
                .withOwnerReferences(owner(device))
                .endMetadata()
                .withType("Opaque")
                .withData(encode(data))
                .build();
    }

    /** The Secret the broker mounts: one credential line with the hash, never the password. */
    public static Secret brokerSecret(KitchenDevice device, String line) {
        Map<String, String> labels = labels(device);
        labels.put(BROKER_LABEL, "true");
        return new SecretBuilder()
                .withNewMetadata()
                .withName(brokerSecretName(device))
                .withNamespace(device.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(owner(device))
                .endMetadata()
                .withType("Opaque")
                .withData(encode(Map.of(BROKER_KEY, line + "\n")))
                .build();
    }

    /** Decodes one value of a Secret's data. */
    public static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }

    /** Base64-encodes each value, as a Secret's data holds them. */
    static Map<String, String> encode(Map<String, String> clear) {
        Map<String, String> data = new LinkedHashMap<>();
        clear.forEach(
                (k, v) ->
                        data.put(
                                k,
                                Base64.getEncoder()
                                        .encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        return data;
    }

    private static Map<String, String> labels(KitchenDevice device) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("app.kubernetes.io/managed-by", "scanorder-operator");
        labels.put("scanorder.io/kitchen-device", device.getMetadata().getName());
        return labels;
    }

    /** Controller reference to {@code owner}: its objects are garbage-collected with it. */
    static io.fabric8.kubernetes.api.model.OwnerReference owner(HasMetadata owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion())
                .withKind(owner.getKind())
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static byte[] derive(String secret, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
        } finally {
            spec.clearPassword();
        }
    }
}
