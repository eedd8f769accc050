package io.scanorder.payment.config;

import io.scanorder.payment.store.FieldCipher;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the {@link FieldCipher} from {@link EncryptionConfig}; a bad key stops the start-up. */
@ApplicationScoped
public class FieldCipherProducer {
    private static final String PREFIX = "scanorder.payment.encryption.";

    @Produces
    @Singleton
    FieldCipher fieldCipher(EncryptionConfig config) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
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
