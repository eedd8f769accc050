package io.scanorder.wechatsim.pay.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PayCryptoTest {
    private static KeyPair keys;

    @BeforeAll
    static void generate() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @Test
    void requestMessageIsWeChatsNewlineTerminatedFiveLines() {
        assertThat(
                        PayCrypto.requestMessage(
                                "GET", "/v3/certificates?a=1", 1554208460, "593BEC", ""))
                .isEqualTo("GET\n/v3/certificates?a=1\n1554208460\n593BEC\n\n");
        assertThat(PayCrypto.responseMessage(1554209980, "c5ac7061", "{}"))
                .isEqualTo("1554209980\nc5ac7061\n{}\n");
    }

    @Test
    void signatureVerifiesWithThePlainJdkSha256WithRsa() throws Exception {
        String message = PayCrypto.responseMessage(1554209980, "c5ac7061fccab6bf", "{\"a\":1}");

        String signature = PayCrypto.sign(keys.getPrivate(), message);

        Signature jdk = Signature.getInstance("SHA256withRSA");
        jdk.initVerify(keys.getPublic());
        jdk.update(message.getBytes(StandardCharsets.UTF_8));
        assertThat(jdk.verify(Base64.getDecoder().decode(signature))).isTrue();
        assertThat(PayCrypto.verify(keys.getPublic(), message, signature)).isTrue();
    }

    @Test
    void verificationFailsForAnotherMessageOrGarbage() {
        String signature = PayCrypto.sign(keys.getPrivate(), "a\n");

        assertThat(PayCrypto.verify(keys.getPublic(), "b\n", signature)).isFalse();
        assertThat(PayCrypto.verify(keys.getPublic(), "a\n", "not base64!")).isFalse();
    }

    @Test
    void publicKeyPemRoundTrips() {
        String pem = PayCrypto.toPem(keys.getPublic());

        assertThat(pem).startsWith("-----BEGIN PUBLIC KEY-----\n");
        assertThat(PayCrypto.publicKeyFromPem(pem)).isEqualTo(keys.getPublic());
        assertThatThrownBy(() -> PayCrypto.publicKeyFromPem("-----BEGIN PUBLIC KEY-----\nAAAA\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PEM-encoded RSA public key");
    }

    @Test
    void noncesAreAlphanumericOfTheAskedLength() {
        assertThat(PayCrypto.nonce(32)).hasSize(32).matches("[A-Za-z0-9]+");
        assertThat(PayCrypto.nonce(32)).isNotEqualTo(PayCrypto.nonce(32));
    }
}
