package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Local mode pays in the example Store's configured mode: crds/examples' Store is a
 * service-provider sub-merchant, so the trade reaches WeChat Pay under the provider with the
 * Store's {@code subMchId}, and its notification is accepted and recorded.
 */
@ExtendWith(SharedPlatform.class)
class ServiceProviderPaymentIT {

    @Test
    void exampleStorePaysAsASubMerchantOfTheServiceProvider(LocalPlatform platform)
            throws Exception {
        String subMchId = LocalPlatform.subMchId(platform.examples());
        assertThat(subMchId)
                .as("crds/examples' Store is in service-provider mode")
                .isEqualTo(platform.examples().store().getSpec().getPayment().getSubMchId())
                .isNotBlank();
        DinerApi diner = new DinerApi(platform).behind("10.79.0.1");
        String scene =
                new DemoDinner(platform, new PrintStream(new ByteArrayOutputStream()))
                        .scanFirstTable();
        String token = diner.login("o-sub-merchant-" + UUID.randomUUID(), scene);
        String orderId =
                diner.orderLine(scene, token, DemoDinner.HOT_SKU, 1, "sp-" + UUID.randomUUID())
                        .expect(201)
                        .path("orderId")
                        .asText();
        String trade = diner.startPayment(orderId, token).expect(200).path("outTradeNo").asText();

        diner.payerPays(trade).expect(200);

        await().atMost(Duration.ofSeconds(20))
                .until(
                        () -> diner.order(orderId, token).expect(200).path("state").asText(),
                        "PAID"::equals);
        JsonNode trades =
                diner.get(platform.endpoints().get("WeChat simulator") + "/__sim/trades", null)
                        .expect(200);
        JsonNode placed = null;
        for (JsonNode t : trades) {
            if (t.path("outTradeNo").asText().equals(trade)) {
                placed = t;
            }
        }
        assertThat(placed).as("trade %s in the simulator: %s", trade, trades).isNotNull();
        assertThat(placed.path("mchid").asText()).isEqualTo(LocalPlatform.DEMO_MCH_ID);
        assertThat(placed.path("subMchid").asText()).isEqualTo(subMchId);
        assertThat(placed.path("state").asText()).isEqualTo("SUCCESS");
    }
}
