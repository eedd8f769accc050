package io.scanorder.payment.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Writes a fresh merchant private key and API v3 key to a directory, as a mounted Secret would. */
public final class MerchantSecretFiles {
    public static final String API_V3_KEY = "0123456789abcdefghijABCDEFGHIJ01";

    private MerchantSecretFiles() {}

    /**
     * Writes {@code apiclient_key.pem} (RSA 2048, PKCS#8) and {@code api-v3-key}; returns the key
     * pair so a test can register the public half with the WeChat simulator.
     */
    public static KeyPair writeTo(Path dir) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keyPair = generator.generateKeyPair();
            byte[] der = keyPair.getPrivate().getEncoded();
            String pem =
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(der)
                            + "\n-----END PRIVATE KEY-----\n";
            Files.writeString(privateKey(dir), pem, StandardCharsets.US_ASCII);
            Files.writeString(apiV3Key(dir), API_V3_KEY + "\n", StandardCharsets.US_ASCII);
            return keyPair;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Path privateKey(Path dir) {
        return dir.resolve("apiclient_key.pem");
    }

    public static Path apiV3Key(Path dir) {
        return dir.resolve("api-v3-key");
    }
}
