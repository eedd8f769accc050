package io.scanorder.payment.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** AES-256-GCM field encryption: round trips, fresh nonces, bound rows and clear errors. */
class FieldCipherTest {
    private static final byte[] K1 = bytes(32, 1);
    private static final byte[] K2 = bytes(32, 2);
    private static final byte[] LOOKUP = bytes(32, 9);

    @Test
    void aValueRoundTripsAndEncryptsDifferentlyEachTime() {
        FieldCipher cipher = FieldCipher.of("k1", Map.of("k1", K1), LOOKUP);

        String a = cipher.encrypt("payer_openid", "payments/T1_1", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        String b = cipher.encrypt("payer_openid", "payments/T1_1", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");

        assertThat(a).startsWith("enc1:k1:").isNotEqualTo(b).doesNotContain("oUpF8uMu");
        assertThat(cipher.decrypt("payer_openid", "payments/T1_1", a))
                .isEqualTo("oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
        assertThat(cipher.encrypt("payer_openid", "payments/T1_1", null)).isNull();
    }

    @Test
    void aCiphertextMovedToAnotherRowFailsNamingTheRow() {
        FieldCipher cipher = FieldCipher.of("k1", Map.of("k1", K1), LOOKUP);
        String a = cipher.encrypt("transaction_id", "payments/T1_1", "4200000001");

        assertThatThrownBy(() -> cipher.decrypt("transaction_id", "payments/T2_1", a))
                .isInstanceOf(FieldCipher.EncryptedFieldException.class)
                .hasMessageContaining("transaction_id")
                .hasMessageContaining("payments/T2_1")
                .hasMessageContaining("altered or moved");
    }

    @Test
    void rotatedKeysStillReadOldValuesAndAnUnknownKeyIsNamed() {
        FieldCipher old = FieldCipher.of("k1", Map.of("k1", K1), LOOKUP);
        FieldCipher rotated = FieldCipher.of("k2", Map.of("k1", K1, "k2", K2), LOOKUP);
        String written = old.encrypt("payer_openid", "payments/T1_1", "oPayer");
        String newer = rotated.encrypt("payer_openid", "payments/T1_1", "oPayer");

        assertThat(newer).startsWith("enc1:k2:");
        assertThat(rotated.decrypt("payer_openid", "payments/T1_1", written)).isEqualTo("oPayer");
        assertThat(rotated.lookup("payer_openid", "oPayer"))
                .isEqualTo(old.lookup("payer_openid", "oPayer"))
                .hasSize(64);
        assertThatThrownBy(() -> old.decrypt("payer_openid", "payments/T1_1", newer))
                .hasMessageContaining("key 'k2', which is not configured")
                .hasMessageContaining("scanorder.payment.encryption.keys.k2");
    }

    @Test
    void unusableKeysAreRefusedWithTheReason() {
        assertThatThrownBy(() -> FieldCipher.of("k3", Map.of("k1", K1), LOOKUP))
                .hasMessageContaining("'k3' is not among the configured keys");
        assertThatThrownBy(() -> FieldCipher.of("k1", Map.of("k1", bytes(16, 1)), LOOKUP))
                .hasMessageContaining("must be 32 bytes (AES-256), got 16");
        assertThatThrownBy(() -> FieldCipher.of("k1", Map.of("k1", K1), bytes(8, 1)))
                .hasMessageContaining("lookup (HMAC) key must be at least 32 bytes");
    }

    private static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return b;
    }
}
