package io.scanorder.payment.config;

import io.scanorder.payment.store.FieldCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Builds the {@link FieldCipher} from {@link EncryptionConfig}; a bad key stops the start-up. */
@ApplicationScoped
public class FieldCipherProducer {
    private static final String PREFIX = "scanorder.payment.encryption.";
    private static final Pattern KEY_FILE = Pattern.compile("k[0-9]+");

    @Produces
    @Singleton
    FieldCipher fieldCipher(EncryptionConfig config) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        config.keysDir().ifPresent(dir -> keys.putAll(keysIn(dir)));
        config.keys()
                .forEach(
                        (id, ref) -> {
                            String property = PREFIX + "keys." + id;
                            keys.put(id, decode(property, read(property, ref)));
                        });
        String lookupProperty = PREFIX + "lookup-key-ref";
        byte[] lookup = decode(lookupProperty, read(lookupProperty, config.lookupKeyRef()));
        try {
            return FieldCipher.of(config.currentKeyId(), keys, lookup);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PREFIX + "*: " + e.getMessage(), e);
        }
    }

    /** The {@code k<number>} files of a mounted Secret; Kubernetes' own dot-files are skipped. */
    static Map<String, byte[]> keysIn(String dir) {
        String property = PREFIX + "keys-dir";
        Map<String, byte[]> keys = new TreeMap<>();
        try (Stream<Path> files = Files.list(Path.of(dir))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String id = file.getFileName().toString();
                if (KEY_FILE.matcher(id).matches()) {
                    keys.put(id, decode(property + " " + file, read(property, "file:" + file)));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    property + " points to " + dir + ", which cannot be listed: " + e);
        }
        return keys;
    }

    private static String read(String property, String ref) {
        return SecretRef.parse(property, ref).resolve(property, System::getenv);
    }

    private static byte[] decode(String property, String base64) {
        try {
            return Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    property + " must point to a base64 key; its content is not base64");
        }
    }
}
