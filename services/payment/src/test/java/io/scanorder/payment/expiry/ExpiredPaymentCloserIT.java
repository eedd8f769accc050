package io.scanorder.payment.expiry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.InjectWeChat;
import io.scanorder.payment.PaymentInfrastructure;
import io.scanorder.payment.store.OrderNotice;
import io.scanorder.payment.store.OrderNoticeStore;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.wechatsim.WeChatSimulator;
import io.scanorder.wechatsim.pay.TradeState;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The expiry job against the WeChat simulator: unpaid trades close, paid ones get recorded. */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class ExpiredPaymentCloserIT {
    private static final String MCH = PaymentInfrastructure.MCH_ID;
    private static final Duration WAIT = Duration.ofSeconds(40);

    /**
     * Far enough ahead that a slow prepay on a loaded machine still sends a future deadline (it is
     * truncated to whole seconds) and the test can pay before the closer looks.
     */
    private static final Duration DEADLINE = Duration.ofSeconds(8);

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;
    @Inject OrderNoticeStore notices;
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
        wechat.pay().notifications().reset();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void anUnpaidTradeIsClosedAtWeChatOnceItsDeadlinePassed() {
        double closedBefore = counter("closed");
        String outTradeNo = prepayExpiringIn(DEADLINE);
        assertThat(store.find(outTradeNo).orElseThrow().state()).isEqualTo(PaymentState.NOT_PAID);

        await().atMost(WAIT)
                .until(() -> store.find(outTradeNo).orElseThrow().state() == PaymentState.CLOSED);
        assertThat(wechat.pay().trade(MCH, outTradeNo).orElseThrow().state())
                .isEqualTo(TradeState.CLOSED);
        assertThat(counter("closed") - closedBefore).isGreaterThanOrEqualTo(1);
        assertThat(notices.find(outTradeNo)).isEmpty();
    }

    @Test
    void aTradePaidWithoutANotificationIsRecordedAsPaidInsteadOfClosed() {
        String outTradeNo = prepayExpiringIn(DEADLINE);
        wechat.pay().notifications().suppressNext(1);
        wechat.pay().pay(MCH, outTradeNo);
        assertThat(store.find(outTradeNo).orElseThrow().state()).isEqualTo(PaymentState.NOT_PAID);

        await().atMost(WAIT)
                .until(() -> store.find(outTradeNo).orElseThrow().state() == PaymentState.SUCCESS);
        assertThat(wechat.pay().trade(MCH, outTradeNo).orElseThrow().state())
                .isEqualTo(TradeState.SUCCESS);
        await().atMost(WAIT)
                .until(
                        () ->
                                notices.find(outTradeNo)
                                        .map(n -> n.status() == OrderNotice.Status.DELIVERED)
                                        .orElse(false));
    }

    private String prepayExpiringIn(Duration d) {
        String order = "E" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        String outTradeNo = order + "_1";
        payments.withDeadlineAfter(15, TimeUnit.SECONDS)
                .prepay(
                        PrepayRequest.newBuilder()
                                .setStoreCode("001")
                                .setOutTradeNo(outTradeNo)
                                .setOrderId(order)
                                .setDescription("ScanOrder 001")
                                .setAmountFen(1_200)
                                .setPayerOpenid("oPayer" + order)
                                .setExpiresAt(
                                        Timestamp.newBuilder()
                                                .setSeconds(Instant.now().plus(d).getEpochSecond()))
                                .build());
        return outTradeNo;
    }

    private double counter(String result) {
        return registry.counter("scanorder.payment.expired", "result", result).count();
    }
}
