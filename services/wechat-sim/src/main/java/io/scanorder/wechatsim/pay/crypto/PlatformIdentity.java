package io.scanorder.wechatsim.pay.crypto;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The simulated WeChat Pay platform's signing identity: one RSA-2048 key pair, published both as a
 * platform certificate (identified by its serial number, for merchants that download certificates)
 * and as a "WeChat Pay public key" (identified by a {@code PUB_KEY_ID_...} id).
 */
public final class PlatformIdentity {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair keys;
    private final X509Certificate certificate;
    private final String certificateSerial;
    private final String publicKeyId;

    private PlatformIdentity(KeyPair keys, X509Certificate certificate, String publicKeyId) {
        this.keys = keys;
        this.certificate = certificate;
        this.certificateSerial =
                certificate.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
        this.publicKeyId = publicKeyId;
    }

    /** Generates a fresh key pair and a five-year certificate valid from {@code now}. */
    public static PlatformIdentity generate(Instant now) {
        KeyPair keys;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, RANDOM);
            keys = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no RSA", e);
        }
        byte[] serialBytes = new byte[20];
        RANDOM.nextBytes(serialBytes);
        serialBytes[0] = (byte) (0x10 | (serialBytes[0] & 0x6F)); // 40 hex digits, positive
        X509Certificate certificate =
                SelfSignedCertificate.issue(
                        keys,
                        new BigInteger(1, serialBytes),
                        "ScanOrder WeChat Pay Simulator",
                        now.minus(Duration.ofDays(1)),
                        now.plus(Duration.ofDays(5 * 365)));
        StringBuilder id = new StringBuilder("PUB_KEY_ID_01");
        for (int i = 0; i < 30; i++) {
            id.append(RANDOM.nextInt(10));
        }
        return new PlatformIdentity(keys, certificate, id.toString());
    }

    public PrivateKey privateKey() {
        return keys.getPrivate();
    }

    public PublicKey publicKey() {
        return keys.getPublic();
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Upper-case hexadecimal serial number of the platform certificate. */
    public String certificateSerial() {
        return certificateSerial;
    }

    /** The id WeChat gives its platform public key, {@code PUB_KEY_ID_} and digits. */
    public String publicKeyId() {
        return publicKeyId;
    }
}
