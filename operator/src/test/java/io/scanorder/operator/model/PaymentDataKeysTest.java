package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.scanorder.crds.v1alpha1.Store;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PaymentDataKeysTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void firstPassGeneratesAnEncryptionAndALookupKeyOf32BytesEach() throws IOException {
        Store store = StoreConfigTest.exampleStore();

        Secret secret = PaymentDataKeys.desired(store, null, random);

        assertThat(secret.getMetadata().getName()).isEqualTo("jingan-payment-data");
        assertThat(secret.getMetadata().getNamespace())
                .isEqualTo(store.getMetadata().getNamespace());
        assertThat(secret.getData()).containsOnlyKeys("k1", "lookup");
        for (String key : secret.getData().values()) {
            // Secret data is base64 of the file; the file is the key in base64, as the payment
            // service reads it.
            String file = new String(Base64.getDecoder().decode(key));
            assertThat(Base64.getDecoder().decode(file.strip())).hasSize(32);
        }
        assertThat(secret.getData().get("k1")).isNotEqualTo(secret.getData().get("lookup"));
    }

    @Test
    void existingKeysAreNeverChangedAndKeysAddedByHandAreKept() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        Secret first = PaymentDataKeys.desired(store, null, random);
        Secret rotated =
                new SecretBuilder(first).addToData("k2", first.getData().get("k1")).build();

        Secret again = PaymentDataKeys.desired(store, rotated, random);

        assertThat(again.getData()).isEqualTo(rotated.getData());
    }

    @Test
    void theKeysOutliveTheStoreBecauseRowsWrittenWithThemStayInTheDatabase() throws IOException {
        Secret secret = PaymentDataKeys.desired(StoreConfigTest.exampleStore(), null, random);

        assertThat(secret.getMetadata().getOwnerReferences()).isEmpty();
    }

    @Test
    void raisingTheGenerationAddsTheNextKeyKeepsTheOldOnesAndMakesItCurrent() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        Secret first = PaymentDataKeys.desired(store, null, random);
        assertThat(PaymentDataKeys.currentKeyId(store)).isEqualTo("k1");

        store.getSpec().getPayment().setDataKeyGeneration(2);
        Secret rotated = PaymentDataKeys.desired(store, first, random);

        assertThat(rotated.getData()).containsOnlyKeys("k1", "k2", "lookup");
        assertThat(rotated.getData().get("k1")).isEqualTo(first.getData().get("k1"));
        assertThat(rotated.getData().get("lookup")).isEqualTo(first.getData().get("lookup"));
        assertThat(rotated.getData().get("k2"))
                .isNotIn(first.getData().get("k1"), first.getData().get("lookup"));
        assertThat(PaymentDataKeys.currentKeyId(store)).isEqualTo("k2");
    }
}
