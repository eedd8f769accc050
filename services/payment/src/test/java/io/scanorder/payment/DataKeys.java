package io.scanorder.payment;

import io.scanorder.payment.store.FieldCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Random data encryption keys written as a mounted Secret would hold them (base64 files). */
public final class DataKeys {
    private DataKeys() {}

    /** Writes keys k1, k2 and the lookup key into {@code dir}. */
    public static void write(Path dir) {
        SecureRandom random = new SecureRandom();
        for (String name : new String[] {"k1", "k2", "lookup"}) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            try {
                Files.writeString(
                        dir.resolve("data-" + name),
                        Base64.getEncoder().encodeToString(key) + "\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static Path key(Path dir, String id) {
        return dir.resolve("data-" + id);
    }

    public static Path lookup(Path dir) {
        return dir.resolve("data-lookup");
    }

    /** A cipher over the given key ids of {@code dir}, writing with {@code current}. */
    public static FieldCipher cipher(Path dir, String current, String... ids) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String id : ids) {
            keys.put(id, read(key(dir, id)));
        }
        return FieldCipher.of(current, keys, read(lookup(dir)));
    }

    private static byte[] read(Path file) {
        try {
            return Base64.getDecoder().decode(Files.readString(file).strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
