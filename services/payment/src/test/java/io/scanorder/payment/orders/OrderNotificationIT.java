package io.scanorder.payment.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.InjectWeChat;
import io.scanorder.payment.PaymentInfrastructure;
import io.scanorder.payment.store.OrderNotice;
import io.scanorder.payment.store.OrderNoticeStore;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundNotice;
import io.scanorder.payment.store.StateReport;
import io.scanorder.proto.order.v1.RefundOutcome;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.wechatsim.WeChatSimulator;
import io.scanorder.wechatsim.pay.notify.DeliveryControls.ReleaseOrder;
import io.scanorder.wechatsim.pay.notify.DeliveryOutcome;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment service tells the order service about every recorded payment over real gRPC (a
 * recording OrderPayments server on a loopback port): exactly once per payment however often WeChat
 * notifies, after the order service comes back, after a restart of the payment service, and with an
 * automatic full refund when the order refuses the payment.
 */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class OrderNotificationIT {
    private static final String STORE = "001";
    private static final String MCH = PaymentInfrastructure.MCH_ID;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;
    @Inject OrderNoticeStore notices;
    @Inject MeterRegistry registry;

    private final RecordingOrderService orders = PaymentInfrastructure.orderService();
    private ManagedChannel channel;
    private PaymentServiceGrpc.PaymentServiceBlockingStub payments;

    @BeforeEach
    void connect() {
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        payments = PaymentServiceGrpc.newBlockingStub(channel);
        orders.start();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        wechat.pay().notifications().reset();
        orders.start();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aHundredNotificationsOfOnePaymentReachTheOrderServiceOnce() {
        String outTradeNo = prepay(2_300);
        wechat.pay().notifications().duplicate(100);

        wechat.pay().pay(MCH, outTradeNo);

        await().atMost(WAIT)
                .until(
                        () ->
                                wechat.pay().deliveries().stream()
                                                .filter(d -> d.subject().equals(outTradeNo))
                                                .filter(
                                                        d ->
                                                                d.outcome()
                                                                        == DeliveryOutcome
                                                                                .ACKNOWLEDGED)
                                                .count()
                                        == 100);
        await().atMost(WAIT).until(() -> status(outTradeNo) == OrderNotice.Status.DELIVERED);
        // Several more delivery rounds pass: none may call again.
        sleep(Duration.ofSeconds(1));
        assertThat(orders.callsFor(outTradeNo))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.answer()).isEqualTo(Status.Code.OK);
                            assertThat(c.request().getOrderId())
                                    .isEqualTo(outTradeNo.split("_")[0]);
                            assertThat(c.request().getStoreCode()).isEqualTo(STORE);
                            assertThat(c.request().getPaidFen()).isEqualTo(2_300);
                            assertThat(c.request().getTransactionId())
                                    .isEqualTo(
                                            store.find(outTradeNo).orElseThrow().transactionId());
                            assertThat(c.request().hasPaidAt()).isTrue();
                        });
    }

    @Test
    void aPaymentMadeWhileTheOrderServiceIsDownIsDeliveredOnceItIsBack() {
        String outTradeNo = prepay(1_500);
        double retries = counter("retry");
        orders.stop();

        wechat.pay().pay(MCH, outTradeNo);

        await().atMost(WAIT)
                .until(() -> notices.find(outTradeNo).map(n -> n.attempts() >= 3).orElse(false));
        OrderNotice waiting = notices.find(outTradeNo).orElseThrow();
        assertThat(waiting.status()).isEqualTo(OrderNotice.Status.PENDING);
        assertThat(waiting.lastError()).startsWith("UNAVAILABLE");
        assertThat(counter("retry") - retries).isGreaterThanOrEqualTo(3);
        assertThat(store.find(outTradeNo).orElseThrow().state()).isEqualTo(PaymentState.SUCCESS);

        orders.start();

        await().atMost(WAIT).until(() -> status(outTradeNo) == OrderNotice.Status.DELIVERED);
        assertThat(orders.callsFor(outTradeNo))
                .singleElement()
                .satisfies(c -> assertThat(c.answer()).isEqualTo(Status.Code.OK));
    }

    @Test
    void aPaymentFoundByQueryingWeChatIsReportedToo() {
        String outTradeNo = prepay(990);
        wechat.pay().notifications().suppressNext(1);
        wechat.pay().pay(MCH, outTradeNo);
        assertThat(notices.find(outTradeNo)).isEmpty();

        payments.withDeadlineAfter(15, TimeUnit.SECONDS)
                .queryPayment(
                        QueryPaymentRequest.newBuilder()
                                .setStoreCode(STORE)
                                .setOutTradeNo(outTradeNo)
                                .build());

        await().atMost(WAIT).until(() -> status(outTradeNo) == OrderNotice.Status.DELIVERED);
        assertThat(orders.callsFor(outTradeNo)).hasSize(1);
    }

    @Test
    void aNoticeCommittedJustBeforeACrashIsDeliveredByTheNextRound() {
        // As if the process died right after committing the payment: nothing woke the notifier,
        // only the row in the database says the order service must still be told.
        String outTradeNo = prepay(720);
        boolean changed =
                store.apply(
                        outTradeNo,
                        new StateReport(
                                PaymentState.SUCCESS,
                                "paid",
                                "4200" + System.nanoTime(),
                                720L,
                                Instant.now()));
        assertThat(changed).isTrue();

        await().atMost(WAIT).until(() -> status(outTradeNo) == OrderNotice.Status.DELIVERED);
        assertThat(orders.callsFor(outTradeNo)).hasSize(1);
    }

    @Test
    void aPaymentTheOrderRefusesIsRefundedInFullAutomatically() {
        String outTradeNo = prepay(3_800);
        String orderId = outTradeNo.split("_")[0];
        orders.refuse(
                orderId,
                "order "
                        + orderId
                        + " is CLOSED (payment timeout elapsed) and can no longer be paid");

        wechat.pay().pay(MCH, outTradeNo);

        await().atMost(WAIT).until(() -> status(outTradeNo) == OrderNotice.Status.REFUNDED);
        assertThat(notices.find(outTradeNo).orElseThrow().lastError())
                .contains("FAILED_PRECONDITION")
                .contains("CLOSED");
        assertThat(orders.callsFor(outTradeNo))
                .singleElement()
                .satisfies(c -> assertThat(c.answer()).isEqualTo(Status.Code.FAILED_PRECONDITION));
        assertThat(wechat.pay().refunds())
                .filteredOn(r -> r.outTradeNo().equals(outTradeNo))
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.outRefundNo()).isEqualTo(orderId + "_R50");
                            assertThat(r.refund()).isEqualTo(3_800);
                        });
        assertThat(store.findRefund(orderId + "_R50")).isPresent();
    }

    @Test
    void aHundredRefundNotificationsReachTheOrderServiceOnceAfterThePayment() {
        String outTradeNo = prepay(5_000);
        String orderId = outTradeNo.split("_")[0];
        wechat.pay().pay(MCH, outTradeNo);
        await().atMost(WAIT).until(() -> status(outTradeNo) == OrderNotice.Status.DELIVERED);
        wechat.pay().notifications().duplicate(100);

        payments.withDeadlineAfter(15, TimeUnit.SECONDS)
                .refund(
                        orders.approve(
                                orderId,
                                RefundRequest.newBuilder()
                                        .setStoreCode(STORE)
                                        .setOutTradeNo(outTradeNo)
                                        .setOutRefundNo(orderId + "_R1")
                                        .setRefundFen(2_000)
                                        .setTotalFen(5_000)
                                        .setReason("one dish sold out")
                                        .build()));

        await().atMost(WAIT)
                .until(
                        () ->
                                wechat.pay().deliveries().stream()
                                                .filter(d -> d.subject().equals(orderId + "_R1"))
                                                .filter(
                                                        d ->
                                                                d.outcome()
                                                                        == DeliveryOutcome
                                                                                .ACKNOWLEDGED)
                                                .count()
                                        == 100);
        await().atMost(WAIT)
                .until(
                        () ->
                                notices.findRefund(orderId + "_R1")
                                        .map(n -> n.status() == RefundNotice.Status.DELIVERED)
                                        .orElse(false));
        sleep(Duration.ofSeconds(1));
        assertThat(orders.refundCallsFor(orderId + "_R1"))
                .singleElement()
                .satisfies(
                        c -> {
                            assertThat(c.request().getOrderId()).isEqualTo(orderId);
                            assertThat(c.request().getOutTradeNo()).isEqualTo(outTradeNo);
                            assertThat(c.request().getRefundFen()).isEqualTo(2_000);
                            assertThat(c.request().getOutcome())
                                    .isEqualTo(RefundOutcome.REFUND_OUTCOME_SUCCESS);
                            assertThat(c.request().getTransactionId())
                                    .isEqualTo(
                                            store.find(outTradeNo).orElseThrow().transactionId());
                            assertThat(c.request().getRefundId()).isNotBlank();
                            assertThat(c.request().hasSucceededAt()).isTrue();
                        });
        // The payment was reported before its refund.
        assertThat(orders.callsFor(outTradeNo)).hasSize(1);
    }

    @Test
    void aRefundWhoseNotificationIsLostIsQueriedAndReportedToo() {
        String outTradeNo = prepay(880);
        String orderId = outTradeNo.split("_")[0];
        wechat.pay().pay(MCH, outTradeNo);
        await().atMost(WAIT).until(() -> status(outTradeNo) == OrderNotice.Status.DELIVERED);
        wechat.pay().notifications().suppressNext(1);

        payments.withDeadlineAfter(15, TimeUnit.SECONDS)
                .refund(
                        orders.approve(
                                orderId,
                                RefundRequest.newBuilder()
                                        .setStoreCode(STORE)
                                        .setOutTradeNo(outTradeNo)
                                        .setOutRefundNo(orderId + "_R1")
                                        .setRefundFen(880)
                                        .setTotalFen(880)
                                        .build()));

        // No notification comes: the fallback query (after 1 s in tests) finds the outcome.
        await().atMost(WAIT)
                .until(
                        () ->
                                notices.findRefund(orderId + "_R1")
                                        .map(n -> n.status() == RefundNotice.Status.DELIVERED)
                                        .orElse(false));
        assertThat(wechat.pay().deliveries())
                .noneMatch(
                        d ->
                                d.subject().equals(orderId + "_R1")
                                        && d.outcome() == DeliveryOutcome.ACKNOWLEDGED);
        assertThat(store.findRefund(orderId + "_R1").orElseThrow().state())
                .isEqualTo(io.scanorder.payment.store.RefundState.SUCCESS);
        assertThat(orders.refundCallsFor(orderId + "_R1"))
                .singleElement()
                .satisfies(
                        c ->
                                assertThat(c.request().getOutcome())
                                        .isEqualTo(RefundOutcome.REFUND_OUTCOME_SUCCESS));
    }

    @Test
    void aRefundOutcomeWaitsWhileTheOrderServiceIsDownAndArrivesOnceItIsBack() {
        String outTradeNo = prepay(1_200);
        String orderId = outTradeNo.split("_")[0];
        wechat.pay().pay(MCH, outTradeNo);
        await().atMost(WAIT).until(() -> status(outTradeNo) == OrderNotice.Status.DELIVERED);
        // The order service confirms the refund, then goes down before its outcome is known.
        wechat.pay().notifications().hold();

        payments.withDeadlineAfter(15, TimeUnit.SECONDS)
                .refund(
                        orders.approve(
                                orderId,
                                RefundRequest.newBuilder()
                                        .setStoreCode(STORE)
                                        .setOutTradeNo(outTradeNo)
                                        .setOutRefundNo(orderId + "_R1")
                                        .setRefundFen(1_200)
                                        .setTotalFen(1_200)
                                        .build()));
        orders.stop();
        wechat.pay().notifications().release(ReleaseOrder.AS_CREATED);
        await().atMost(WAIT)
                .until(
                        () ->
                                notices.findRefund(orderId + "_R1")
                                        .map(n -> n.attempts() >= 2)
                                        .orElse(false));
        assertThat(notices.findRefund(orderId + "_R1").orElseThrow().lastError())
                .startsWith("UNAVAILABLE");

        orders.start();

        await().atMost(WAIT)
                .until(
                        () ->
                                notices.findRefund(orderId + "_R1")
                                        .map(n -> n.status() == RefundNotice.Status.DELIVERED)
                                        .orElse(false));
        assertThat(orders.refundCallsFor(orderId + "_R1")).hasSize(1);
    }

    // --- helpers -------------------------------------------------------------------------

    private String prepay(long fen) {
        String order = "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        String outTradeNo = order + "_1";
        payments.withDeadlineAfter(15, TimeUnit.SECONDS)
                .prepay(
                        PrepayRequest.newBuilder()
                                .setStoreCode(STORE)
                                .setOutTradeNo(outTradeNo)
                                .setOrderId(order)
                                .setDescription("ScanOrder 001")
                                .setAmountFen(fen)
                                .setPayerOpenid("oPayer" + order)
                                .build());
        return outTradeNo;
    }

    private OrderNotice.Status status(String outTradeNo) {
        return notices.find(outTradeNo).map(OrderNotice::status).orElse(null);
    }

    private double counter(String result) {
        return registry.counter("scanorder.payment.order.notices", "result", result).count();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
