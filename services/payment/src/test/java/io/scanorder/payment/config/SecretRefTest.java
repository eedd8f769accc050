package io.scanorder.payment.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretRefTest {
    private static final String KEY = "scanorder.payment.merchant.api-v3-key-ref";

    @Test
    void resolvesEnvironmentVariable() {
        SecretRef ref = SecretRef.parse(KEY, "env:WECHAT_API_V3_KEY");

        assertThat(ref.resolve(KEY, Map.of("WECHAT_API_V3_KEY", "v")::get)).isEqualTo("v");
    }

    @Test
    void resolvesFileDroppingTheTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("key"), "secret-value\n");

        assertThat(SecretRef.parse(KEY, "file:" + file).resolve(KEY, name -> null))
                .isEqualTo("secret-value");
    }

    @Test
    void unusableReferencesNameTheKey(@TempDir Path dir) {
        assertThatThrownBy(() -> SecretRef.parse(KEY, "plain-text-key"))
                .hasMessage(
                        KEY
                                + " must be env:VARIABLE_NAME or file:/path/to/secret,"
                                + " got 'plain-text-key'");
        assertThatThrownBy(() -> SecretRef.parse(KEY, "env:NOT_SET").resolve(KEY, n -> null))
                .hasMessage(KEY + " points to environment variable NOT_SET, which is not set");
        assertThatThrownBy(
                        () ->
                                SecretRef.parse(KEY, "file:" + dir.resolve("missing"))
                                        .resolve(KEY, n -> null))
                .hasMessageStartingWith(KEY + " points to file " + dir.resolve("missing"));
    }
}
