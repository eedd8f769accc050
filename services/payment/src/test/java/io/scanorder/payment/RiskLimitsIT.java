package io.scanorder.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prepay rate limits over real gRPC and the real payment database (defaults: 10 payments per payer
 * and 20 per device in 10 minutes), and the store's per-order amount limit.
 */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class RiskLimitsIT {
    private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d+) s");

    @Inject PaymentStore store;
    @Inject MeterRegistry registry;

    private ManagedChannel channel;
    private PaymentServiceGrpc.PaymentServiceBlockingStub payments;

    @BeforeEach
    void connect() {
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        payments = PaymentServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void theEleventhPaymentOfOnePayerWithinTenMinutesIsRefusedWithARetryAfter() {
        String openid = "oBusy" + UUID.randomUUID();
        double limited = limitedCount("payer");
        String first = null;
        for (int i = 0; i < 10; i++) {
            String outTradeNo = newOrder() + "_1";
            first = first == null ? outTradeNo : first;
            call().prepay(prepay(outTradeNo, openid, null));
        }

        StatusRuntimeException e = refused(prepay(newOrder() + "_1", openid, null));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription())
                .contains("too many payments started by this payer")
                .contains("limit 10");
        assertThat(retryAfterSeconds(e)).isBetween(500L, 600L);
        assertThat(limitedCount("payer") - limited).isEqualTo(1);
        // Repeating a prepay that already exists is not a new payment and still works.
        assertThat(call().prepay(prepay(first, openid, null)).getPrepayId()).isNotBlank();
        // Another payer is not affected.
        assertThat(
                        call().prepay(prepay(newOrder() + "_1", "oCalm" + UUID.randomUUID(), null))
                                .getPrepayId())
                .isNotBlank();
    }

    @Test
    void theTwentyFirstPaymentFromOneDeviceIsRefusedWhateverThePayer() {
        String device = "fp-" + UUID.randomUUID();
        for (int i = 0; i < 20; i++) {
            call().prepay(prepay(newOrder() + "_1", "oDiner" + UUID.randomUUID(), device));
        }

        StatusRuntimeException e =
                refused(prepay(newOrder() + "_1", "oDiner" + UUID.randomUUID(), device));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription())
                .contains("too many payments started by this device")
                .contains("limit 20");
        assertThat(retryAfterSeconds(e)).isBetween(500L, 600L);
        assertThat(
                        call().prepay(
                                        prepay(
                                                newOrder() + "_1",
                                                "oDiner" + UUID.randomUUID(),
                                                "fp-" + UUID.randomUUID()))
                                .getPrepayId())
                .isNotBlank();
    }

    @Test
    void anAmountAboveTheStoresPerOrderLimitIsRefusedBeforeAnythingIsStored() {
        String outTradeNo = newOrder() + "_1";
        StatusRuntimeException e =
                refused(
                        prepay(outTradeNo, "oBig" + UUID.randomUUID(), null).toBuilder()
                                .setAmountFen(200_001)
                                .build());

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
        assertThat(e.getStatus().getDescription())
                .isEqualTo("amount_fen is 2000.01 yuan, above the per-order limit of 2000.00 yuan");
        assertThat(store.find(outTradeNo)).isEmpty();
        String atLimit = newOrder() + "_1";
        call().prepay(
                        prepay(atLimit, "oBig" + UUID.randomUUID(), null).toBuilder()
                                .setAmountFen(200_000)
                                .build());
        assertThat(store.find(atLimit).orElseThrow().amountFen()).isEqualTo(200_000);
    }

    private PaymentServiceGrpc.PaymentServiceBlockingStub call() {
        return payments.withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    private StatusRuntimeException refused(PrepayRequest request) {
        return catchThrowableOfType(StatusRuntimeException.class, () -> call().prepay(request));
    }

    private static PrepayRequest prepay(String outTradeNo, String openid, String device) {
        PrepayRequest.Builder b =
                PrepayRequest.newBuilder()
                        .setStoreCode("001")
                        .setOutTradeNo(outTradeNo)
                        .setOrderId(outTradeNo.split("_")[0])
                        .setDescription("ScanOrder 001")
                        .setAmountFen(1_000)
                        .setPayerOpenid(openid);
        if (device != null) {
            b.setDeviceFingerprint(device);
        }
        return b.build();
    }

    private static long retryAfterSeconds(StatusRuntimeException e) {
        Matcher m = RETRY_AFTER.matcher(e.getStatus().getDescription());
        assertThat(m.find()).as(e.getStatus().getDescription()).isTrue();
        return Long.parseLong(m.group(1));
    }

    private double limitedCount(String limit) {
        var counter =
                registry.find("scanorder.payment.prepay.limited").tag("limit", limit).counter();
        return counter == null ? 0 : counter.count();
    }

    private static String newOrder() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    }
}
