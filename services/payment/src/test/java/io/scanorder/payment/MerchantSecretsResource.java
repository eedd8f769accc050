package io.scanorder.payment;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scanorder.payment.config.MerchantSecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/** Generates merchant key files for a @QuarkusTest and points the configuration at them. */
public class MerchantSecretsResource implements QuarkusTestResourceLifecycleManager {
    private Path dir;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("scanorder-merchant");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MerchantSecretFiles.writeTo(dir);
        return Map.of(
                "scanorder.payment.merchant.private-key-path",
                MerchantSecretFiles.privateKey(dir).toString(),
                "scanorder.payment.merchant.api-v3-key-ref",
                "file:" + MerchantSecretFiles.apiV3Key(dir));
    }

    @Override
    public void stop() {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
