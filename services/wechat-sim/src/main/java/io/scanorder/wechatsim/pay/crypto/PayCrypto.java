package io.scanorder.wechatsim.pay.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * The RSA primitives of WeChat Pay API v3: SHA256withRSA signatures (Base64) over the
 * newline-terminated messages WeChat defines, PEM encoding and random nonces.
 */
public final class PayCrypto {
    private static final String SIGNATURE_ALGORITHM = "SHA256withRSA";
    private static final String NONCE_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    private PayCrypto() {}

    /** Signs the UTF-8 bytes of {@code message}; returns the Base64 signature. */
    public static String sign(PrivateKey key, String message) {
        try {
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initSign(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with " + SIGNATURE_ALGORITHM, e);
        }
    }

    /** True when {@code base64Signature} is a valid signature of {@code message} by the key. */
    public static boolean verify(PublicKey key, String message, String base64Signature) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance(SIGNATURE_ALGORITHM);
            signature.initVerify(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            return signature.verify(raw);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The message WeChat signs for a request: method, URL (path and query), time, nonce, body. */
    public static String requestMessage(
            String method, String url, long timestamp, String nonce, String body) {
        return method + "\n" + url + "\n" + timestamp + "\n" + nonce + "\n" + body + "\n";
    }

    /** The message WeChat signs for a response or notification: time, nonce, body. */
    public static String responseMessage(long timestamp, String nonce, String body) {
        return timestamp + "\n" + nonce + "\n" + body + "\n";
    }

    /** A random alphanumeric string, as WeChat uses for nonces. */
    public static String nonce(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(NONCE_ALPHABET.charAt(RANDOM.nextInt(NONCE_ALPHABET.length())));
        }
        return sb.toString();
    }

    /** Reads an RSA public key from PEM ({@code -----BEGIN PUBLIC KEY-----}, X.509 SPKI). */
    public static PublicKey publicKeyFromPem(String pem) {
        String base64 =
                pem.replace("-----BEGIN PUBLIC KEY-----", "")
                        .replace("-----END PUBLIC KEY-----", "")
                        .replaceAll("\\s", "");
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "not a PEM-encoded RSA public key (-----BEGIN PUBLIC KEY-----)", e);
        }
    }

    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    public static String toPem(X509Certificate certificate) {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("cannot encode certificate", e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body =
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
