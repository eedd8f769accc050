package io.scanorder.payment.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.payment.store.FieldCipher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FieldCipherProducerTest {
    private final SecureRandom random = new SecureRandom();

    @TempDir Path secret;

    @Test
    void everyKeyFileOfTheMountedSecretIsAKeyAndTheLookupKeyIsNot() throws IOException {
        byte[] k1 = writeKey("k1");
        byte[] k2 = writeKey("k2");
        byte[] lookup = writeKey("lookup");
        // What the kubelet adds next to the files of a mounted Secret.
        Files.createDirectory(secret.resolve("..2026_11_26_09_00_00.123"));

        Map<String, byte[]> keys = FieldCipherProducer.keysIn(secret.toString());

        assertThat(keys).containsOnlyKeys("k1", "k2");
        assertThat(keys.get("k1")).isEqualTo(k1);
        FieldCipher before = FieldCipher.of("k1", Map.of("k1", k1), lookup);
        FieldCipher after = FieldCipher.of("k2", keys, lookup);
        String written = before.encrypt("payer_openid", "payments/T1_1", "oPayer");
        assertThat(after.encrypt("payer_openid", "payments/T1_1", "oPayer")).startsWith("enc1:k2:");
        assertThat(after.decrypt("payer_openid", "payments/T1_1", written)).isEqualTo("oPayer");
        assertThat(k2).isNotEqualTo(k1);
    }

    @Test
    void aKeyFileThatIsNotBase64IsNamedWithoutItsContent() throws IOException {
        Files.writeString(secret.resolve("k1"), "not*base64*secret\n");

        assertThatThrownBy(() -> FieldCipherProducer.keysIn(secret.toString()))
                .hasMessageContaining("scanorder.payment.encryption.keys-dir")
                .hasMessageContaining(secret.resolve("k1").toString())
                .hasMessageNotContaining("not*base64*secret");
    }

    @Test
    void aMissingDirectoryIsNamed() {
        Path missing = secret.resolve("absent");

        assertThatThrownBy(() -> FieldCipherProducer.keysIn(missing.toString()))
                .hasMessageContaining("keys-dir points to " + missing);
    }

    private byte[] writeKey(String name) throws IOException {
        byte[] key = new byte[32];
        random.nextBytes(key);
        Files.writeString(secret.resolve(name), Base64.getEncoder().encodeToString(key) + "\n");
        return key;
    }
}
