package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.scanorder.crds.v1alpha1.Store;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Desired state of the Secret holding a store's payment data keys: the AES-256-GCM keys the payment
 * service encrypts payer openids and WeChat transaction ids with ({@code k1} up to {@code
 * k<spec.payment.dataKeyGeneration>}, the last one current) and the HMAC {@code lookup} key of its
 * lookup columns, each 32 random bytes in base64, mounted as files under {@link #MOUNT_PATH}.
 * Raising the generation rotates: the next key is generated and the payment Deployment's {@code
 * SCANORDER_DATA_KEY_ID} names it, which rolls the pods onto it.
 *
 * <p>Keys are generated once and never changed or removed by the operator: a lost key makes every
 * row written with it unreadable. For the same reason the Secret has no owner reference and
 * outlives its Store, whose payment rows stay in the database; delete it by hand only with the
 * data.
 */
public final class PaymentDataKeys {
    /** Where the payment service reads the key files (its application.properties defaults). */
    public static final String MOUNT_PATH = "/var/run/secrets/scanorder/payment-data";

    /** Prefix of the encryption keys' names: {@code k1}, {@code k2}, ... */
    static final String KEY_PREFIX = "k";

    static final String LOOKUP_KEY = "lookup";

    private static final int KEY_BYTES = 32;

    private PaymentDataKeys() {}

    /** Id of the key new payment data is encrypted with: {@code k<dataKeyGeneration>}. */
    public static String currentKeyId(Store store) {
        return KEY_PREFIX + generation(store);
    }

    private static int generation(Store store) {
        Integer g = store.getSpec().getPayment().getDataKeyGeneration();
        return g == null ? 1 : g;
    }

    /**
     * The Secret as it should be: {@code existing}'s keys kept as they are, missing keys {@code k1}
     * up to the current generation and {@code lookup} generated.
     *
     * @param existing the Secret as it is now, or null
     * @return the desired Secret; equal data to {@code existing} when nothing is missing
     */
    public static Secret desired(Store store, Secret existing, SecureRandom random) {
        Map<String, String> data = new LinkedHashMap<>();
        if (existing != null && existing.getData() != null) {
            data.putAll(existing.getData());
        }
        for (int g = 1; g <= generation(store); g++) {
            data.computeIfAbsent(KEY_PREFIX + g, k -> encodedNewKey(random));
        }
        data.computeIfAbsent(LOOKUP_KEY, k -> encodedNewKey(random));
        return new SecretBuilder()
                .withNewMetadata()
                .withName(StoreNames.paymentDataSecretName(store))
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(StoreNames.labels(store, StoreService.PAYMENT.component()))
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** A new key as Secret data: base64 of the file content, itself the key in base64. */
    private static String encodedNewKey(SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        Base64.Encoder b64 = Base64.getEncoder();
        return b64.encodeToString((b64.encodeToString(key) + "\n").getBytes());
    }
}
