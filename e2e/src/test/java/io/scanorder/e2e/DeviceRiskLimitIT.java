package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The payment service's per-device Prepay limit through the whole platform: diners on one phone
 * (one mini-program install id in {@code X-Device-Fingerprint}) with different WeChat accounts.
 */
@ExtendWith(SharedPlatform.class)
class DeviceRiskLimitIT {
    /** The payment service's default per-device limit (SCANORDER_RISK_PER_DEVICE_MAX). */
    private static final int PER_DEVICE_MAX = 20;

    private static LocalPlatform platform;
    private static String scene;

    @BeforeAll
    static void scanTheTable(LocalPlatform shared) throws Exception {
        platform = shared;
        scene =
                new DemoDinner(shared, new PrintStream(new ByteArrayOutputStream()))
                        .scanFirstTable();
    }

    @Test
    void burstFromOnePhoneWithManyAccountsIsRefusedAs429OverThePerDeviceLimit() {
        byte[] id = new byte[12];
        new SecureRandom().nextBytes(id);
        String fingerprint = "e2e-" + HexFormat.of().formatHex(id);
        String run = UUID.randomUUID().toString().substring(0, 8);

        DinerApi phones = new DinerApi(platform);
        for (int i = 1; i <= PER_DEVICE_MAX + 1; i++) {
            // Each account on its own address, so only the device links them (as a card-testing
            // ring on one phone would), not the per-IP limits.
            DinerApi diner = phones.behind("10.81." + (i / 200) + "." + (i % 200 + 1));
            String token = diner.login("o-device-" + run + "-" + i, scene);
            String orderId =
                    diner.orderLine(scene, token, DemoDinner.COLD_SKU, 1, "device-" + run + i)
                            .expect(201)
                            .path("orderId")
                            .asText();

            DinerApi.Answer pay = diner.startPayment(orderId, token, fingerprint);

            if (i <= PER_DEVICE_MAX) {
                assertThat(pay.status()).as("payment %d: %s", i, pay.body()).isEqualTo(200);
            } else {
                assertThat(pay.status()).as(pay.body()).isEqualTo(429);
                assertThat(pay.text("reason")).isEqualTo("PAYMENT_RATE_LIMITED");
                assertThat(pay.text("message"))
                        .contains("too many payments started by this device")
                        .contains("order " + orderId + " is kept");
            }
        }

        // Another phone of the same diners' kind is not held back by this one.
        DinerApi other = phones.behind("10.78.0.1");
        String token = other.login("o-device-" + run + "-other", scene);
        String orderId =
                other.orderLine(scene, token, DemoDinner.COLD_SKU, 1, "device-" + run + "other")
                        .expect(201)
                        .path("orderId")
                        .asText();
        assertThat(other.startPayment(orderId, token, "e2e-another-phone-" + run).status())
                .isEqualTo(200);
    }
}
