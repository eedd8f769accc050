package io.scanorder.wechatsim.pay.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class AesGcmTest {
    private static final String KEY = "a7Kq9Zr2Lm4Xp8Tc1Vb6Nw3Hy5Gd0Jf2";
    private static final String PLAINTEXT = "{\"out_trade_no\":\"SO1001\"}";
    // Computed independently with OpenSSL (Python cryptography's AESGCM) for the inputs above,
    // nonce "0123456789ab" and associated data "transaction".
    private static final String KNOWN_CIPHERTEXT =
            "t3NDxyDQNCwR4i6mRqt7EU6+SeZ5mVnB/7KlU3oR2adgo4nf6obhtiA=";

    private final AesGcm aes = new AesGcm(KEY);

    @Test
    void encryptionMatchesAnIndependentImplementation() {
        assertThat(aes.encrypt("transaction", "0123456789ab", PLAINTEXT))
                .isEqualTo(KNOWN_CIPHERTEXT);
    }

    @Test
    void decryptionRecoversTheKnownPlaintext() {
        assertThat(aes.decrypt("transaction", "0123456789ab", KNOWN_CIPHERTEXT))
                .isEqualTo(PLAINTEXT);
    }

    @Test
    void tamperedCiphertextWrongAssociatedDataOrWrongKeyFailAuthentication() {
        byte[] raw = Base64.getDecoder().decode(KNOWN_CIPHERTEXT);
        raw[3] ^= 0x40;
        String tampered = Base64.getEncoder().encodeToString(raw);

        assertThatThrownBy(() -> aes.decrypt("transaction", "0123456789ab", tampered))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> aes.decrypt("refund", "0123456789ab", KNOWN_CIPHERTEXT))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () ->
                                new AesGcm("b7Kq9Zr2Lm4Xp8Tc1Vb6Nw3Hy5Gd0Jf2")
                                        .decrypt("transaction", "0123456789ab", KNOWN_CIPHERTEXT))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void apiV3KeyMustBe32Bytes() {
        assertThatThrownBy(() -> new AesGcm("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes, got 5");
    }
}
