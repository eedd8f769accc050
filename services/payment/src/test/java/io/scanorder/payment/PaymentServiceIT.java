package io.scanorder.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundState;
import io.scanorder.proto.payment.v1.ClosePaymentRequest;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.PrepayResponse;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.proto.payment.v1.QueryRefundRequest;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.proto.payment.v1.RefundResult;
import io.scanorder.proto.payment.v1.RefundStatus;
import io.scanorder.wechatsim.WeChatSimulator;
import io.scanorder.wechatsim.pay.PayOutcome;
import io.scanorder.wechatsim.pay.TradeState;
import io.scanorder.wechatsim.pay.notify.Delivery;
import io.scanorder.wechatsim.pay.notify.DeliveryControls.ReleaseOrder;
import io.scanorder.wechatsim.pay.notify.DeliveryOutcome;
import io.scanorder.wechatsim.pay.notify.Forgery;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment service end to end against the WeChat simulator: the official SDK signs and verifies
 * every call over HTTP, the simulator sends real encrypted, signed notifications to the service's
 * notify endpoint, and state lands in the service's PostgreSQL database.
 */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class PaymentServiceIT {
    private static final String STORE = "001";
    private static final String MCH = PaymentInfrastructure.MCH_ID;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;
    @Inject MeterRegistry registry;
    @Inject io.scanorder.payment.config.Merchant merchant;

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
    void paidOrderBecomesSuccessWhenWeChatsNotificationArrives() throws Exception {
        String outTradeNo = newOrder() + "_1";
        PrepayResponse prepay = payments().prepay(prepayRequest(outTradeNo, 2_580));

        assertThat(prepay.getPrepayId()).isNotBlank();
        var params = prepay.getRequestPayment();
        assertThat(params.getPackageValue()).isEqualTo("prepay_id=" + prepay.getPrepayId());
        assertThat(params.getSignType()).isEqualTo("RSA");
        assertThat(params.getAppId()).isEqualTo(PaymentInfrastructure.APP_ID);
        assertThat(paySignVerifies(params)).isTrue();
        assertThat(state(outTradeNo)).isEqualTo(PaymentState.NOT_PAID);

        wechat.pay().pay(MCH, outTradeNo);

        await().atMost(WAIT).until(() -> state(outTradeNo) == PaymentState.SUCCESS);
        PaymentRecord paid = store.find(outTradeNo).orElseThrow();
        assertThat(paid.transactionId())
                .isEqualTo(wechat.pay().trade(MCH, outTradeNo).orElseThrow().transactionId());
        assertThat(paid.payerTotalFen()).isEqualTo(2_580L);
        assertThat(paid.paidAt()).isNotNull();
        assertThat(deliveriesOf(outTradeNo))
                .anySatisfy(
                        d -> {
                            assertThat(d.outcome()).isEqualTo(DeliveryOutcome.ACKNOWLEDGED);
                            assertThat(d.httpStatus()).isEqualTo(204);
                        });

        Payment queried = payments().queryPayment(query(outTradeNo));
        assertThat(queried.getState())
                .isEqualTo(io.scanorder.proto.payment.v1.PaymentState.PAYMENT_STATE_SUCCESS);
        assertThat(queried.getTransactionId()).isEqualTo(paid.transactionId());
        assertThat(queried.getAmountFen()).isEqualTo(2_580);
    }

    @Test
    void repeatingPrepayForTheSameOrderAndAmountReturnsTheSamePrepayId() {
        String outTradeNo = newOrder() + "_1";
        PrepayResponse first = payments().prepay(prepayRequest(outTradeNo, 1_000));
        PrepayResponse again = payments().prepay(prepayRequest(outTradeNo, 1_000));

        assertThat(again.getPrepayId()).isEqualTo(first.getPrepayId());
        assertThat(wechat.pay().trades().stream().filter(t -> t.outTradeNo().equals(outTradeNo)))
                .hasSize(1);
        assertThat(grpcError(() -> payments().prepay(prepayRequest(outTradeNo, 1_001))))
                .satisfies(
                        e -> {
                            assertThat(e.getStatus().getCode())
                                    .isEqualTo(Status.Code.ALREADY_EXISTS);
                            assertThat(e.getStatus().getDescription())
                                    .contains(outTradeNo)
                                    .contains("amount_fen 1000")
                                    .contains("next attempt");
                        });
    }

    @Test
    void badPrepayInputIsRefusedWithTheFieldNamed() {
        String order = newOrder();
        assertThat(grpcError(() -> payments().prepay(prepayRequest(order + "_1", 0))))
                .satisfies(e -> expect(e, Status.Code.INVALID_ARGUMENT, "amount_fen"));
        assertThat(grpcError(() -> payments().prepay(prepayRequest(order + "_1", 200_001))))
                .satisfies(
                        e ->
                                expect(
                                        e,
                                        Status.Code.OUT_OF_RANGE,
                                        "above the per-order limit of 2000.00 yuan"));
        assertThat(grpcError(() -> payments().prepay(prepayRequest("short", 100))))
                .satisfies(e -> expect(e, Status.Code.INVALID_ARGUMENT, "out_trade_no"));
        assertThat(
                        grpcError(
                                () ->
                                        payments()
                                                .prepay(
                                                        prepayRequest(order + "_1", 100).toBuilder()
                                                                .setPayerOpenid("")
                                                                .build())))
                .satisfies(e -> expect(e, Status.Code.INVALID_ARGUMENT, "payer_openid"));
        assertThat(store.find(order + "_1")).isEmpty();
    }

    @Test
    void queryResolvesAPaymentWhoseNotificationNeverCame() {
        String outTradeNo = newOrder() + "_1";
        payments().prepay(prepayRequest(outTradeNo, 990));
        wechat.pay().notifications().suppressNext(1);
        wechat.pay().pay(MCH, outTradeNo);

        assertThat(state(outTradeNo)).isEqualTo(PaymentState.NOT_PAID);
        Payment payment = payments().queryPayment(query(outTradeNo));

        assertThat(payment.getState())
                .isEqualTo(io.scanorder.proto.payment.v1.PaymentState.PAYMENT_STATE_SUCCESS);
        assertThat(payment.getPayerTotalFen()).isEqualTo(990);
        assertThat(payment.hasPaidAt()).isTrue();
        assertThat(state(outTradeNo)).isEqualTo(PaymentState.SUCCESS);
    }

    @Test
    void aFailedPaymentIsLearnedByQueryIsNeverRefundedNorToldToTheOrderServiceAndCanBeClosed() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payments().prepay(prepayRequest(outTradeNo, 1_250));
        wechat.pay().pay(MCH, outTradeNo, PayOutcome.PAYERROR);

        // WeChat sends no notification for a failed payment: the query finds it.
        Payment payment = payments().queryPayment(query(outTradeNo));

        assertThat(payment.getState())
                .isEqualTo(io.scanorder.proto.payment.v1.PaymentState.PAYMENT_STATE_PAY_ERROR);
        assertThat(payment.hasPaidAt()).isFalse();
        assertThat(state(outTradeNo)).isEqualTo(PaymentState.PAY_ERROR);
        // Nothing was paid, so nothing can be refunded, even with the order service's approval.
        assertThat(
                        grpcError(
                                () ->
                                        payments()
                                                .refund(
                                                        refundRequest(
                                                                outTradeNo, order + "_R1", 1_250))))
                .satisfies(
                        e ->
                                expect(
                                        e,
                                        Status.Code.FAILED_PRECONDITION,
                                        "only paid payments can be refunded"));
        assertThat(wechat.pay().refunds()).noneMatch(r -> r.outTradeNo().equals(outTradeNo));
        // The order service is told of paid payments only: the order stays unpaid there.
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> PaymentInfrastructure.orderService().callsFor(outTradeNo).isEmpty());
        // The failed trade is closed at WeChat, so the diner pays with a new attempt.
        Payment closed = payments().closePayment(close(outTradeNo));
        assertThat(closed.getState())
                .isEqualTo(io.scanorder.proto.payment.v1.PaymentState.PAYMENT_STATE_CLOSED);
        assertThat(wechat.pay().trade(MCH, outTradeNo).orElseThrow().state())
                .isEqualTo(TradeState.CLOSED);
    }

    @Test
    void closingAnUnpaidPaymentClosesItAtWeChatAndIsIdempotent() {
        String outTradeNo = newOrder() + "_1";
        payments().prepay(prepayRequest(outTradeNo, 500));

        Payment closed = payments().closePayment(close(outTradeNo));
        Payment again = payments().closePayment(close(outTradeNo));

        assertThat(closed.getState())
                .isEqualTo(io.scanorder.proto.payment.v1.PaymentState.PAYMENT_STATE_CLOSED);
        assertThat(again.getState()).isEqualTo(closed.getState());
        assertThat(wechat.pay().trade(MCH, outTradeNo).orElseThrow().state())
                .isEqualTo(TradeState.CLOSED);
        assertThat(grpcError(() -> payments().prepay(prepayRequest(outTradeNo, 500))))
                .satisfies(
                        e ->
                                expect(
                                        e,
                                        Status.Code.FAILED_PRECONDITION,
                                        "pay again as " + outTradeNo.replace("_1", "_2")));
    }

    @Test
    void closingAPaymentPaidBehindOurBackIsRefusedAndRecordsThePayment() {
        String outTradeNo = newOrder() + "_1";
        payments().prepay(prepayRequest(outTradeNo, 700));
        wechat.pay().notifications().suppressNext(1);
        wechat.pay().pay(MCH, outTradeNo);

        // WeChat answers ORDERPAID (HTTP 400) through the SDK's ServiceException.
        assertThat(grpcError(() -> payments().closePayment(close(outTradeNo))))
                .satisfies(e -> expect(e, Status.Code.FAILED_PRECONDITION, "ORDERPAID"));
        assertThat(state(outTradeNo)).isEqualTo(PaymentState.SUCCESS);
    }

    @Test
    void weChatNotFoundIsMappedToNotFound() {
        // A payment this service knows but WeChat does not (e.g. the prepay call never arrived).
        String outTradeNo = newOrder() + "_1";
        store.insertIfAbsent(
                new PaymentRecord(
                        outTradeNo,
                        STORE,
                        "order",
                        "lost prepay",
                        100,
                        "oPayer",
                        null,
                        null,
                        PaymentState.NOT_PAID,
                        null,
                        null,
                        null,
                        null));

        assertThat(grpcError(() -> payments().queryPayment(query(outTradeNo))))
                .satisfies(e -> expect(e, Status.Code.NOT_FOUND, "ORDER_NOT_EXIST"));
        assertThat(grpcError(() -> payments().queryPayment(query(newOrder() + "_1"))))
                .satisfies(e -> expect(e, Status.Code.NOT_FOUND, "create it with Prepay first"));
    }

    @Test
    void refundIsAcceptedThenCompletedByItsNotification() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 10_000);

        RefundResult refund = payments().refund(refundRequest(outTradeNo, order + "_R1", 3_000));
        assertThat(refund.getRefundId()).isNotBlank();
        assertThat(refund.getRefundFen()).isEqualTo(3_000);

        await().atMost(WAIT)
                .until(
                        () ->
                                store.findRefund(order + "_R1").orElseThrow().state()
                                        == RefundState.SUCCESS);
        assertThat(state(outTradeNo)).isEqualTo(PaymentState.REFUNDED);
        RefundResult queried =
                payments()
                        .queryRefund(
                                QueryRefundRequest.newBuilder()
                                        .setStoreCode(STORE)
                                        .setOutRefundNo(order + "_R1")
                                        .build());
        assertThat(queried.getStatus()).isEqualTo(RefundStatus.REFUND_STATUS_SUCCESS);
        assertThat(queried.hasSucceededAt()).isTrue();

        // Retrying with the same out_refund_no returns the first refund.
        RefundResult retried = payments().refund(refundRequest(outTradeNo, order + "_R1", 3_000));
        assertThat(retried.getRefundId()).isEqualTo(refund.getRefundId());
        assertThat(grpcError(() -> payments().refund(refundRequest(outTradeNo, order + "_R1", 10))))
                .satisfies(e -> expect(e, Status.Code.ALREADY_EXISTS, "next refund sequence"));
        assertThat(
                        grpcError(
                                () ->
                                        payments()
                                                .refund(
                                                        refundRequest(
                                                                outTradeNo, order + "_R2", 7_001))))
                .satisfies(e -> expect(e, Status.Code.OUT_OF_RANGE, "refundable 7000 fen"));
    }

    @Test
    void concurrentRefundsNeverAddUpToMoreThanWasPaid() throws Exception {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 1_000);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<RefundResult>> attempts = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            String outRefundNo = order + "_R" + i;
            attempts.add(
                    pool.submit(
                            () -> payments().refund(refundRequest(outTradeNo, outRefundNo, 300))));
        }
        int accepted = 0;
        for (Future<RefundResult> attempt : attempts) {
            try {
                attempt.get(30, TimeUnit.SECONDS);
                accepted++;
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(((StatusRuntimeException) e.getCause()).getStatus().getCode())
                        .isEqualTo(Status.Code.OUT_OF_RANGE);
            }
        }
        pool.shutdown();

        assertThat(accepted).isEqualTo(3);
        assertThat(store.refundedFen(outTradeNo)).isEqualTo(900);
        assertThat(wechat.pay().trade(MCH, outTradeNo).orElseThrow().refunded()).isEqualTo(900);
    }

    @Test
    void forgedOrTamperedNotificationsAreRefusedAndChangeNothing() {
        String outTradeNo = newOrder() + "_1";
        payments().prepay(prepayRequest(outTradeNo, 1_200));
        double badSignature = notifications("bad_signature");
        double decryptFailed = notifications("decrypt_failed");

        for (Forgery forgery : Forgery.values()) {
            int status = wechat.pay().sendForgedNotification(MCH, outTradeNo, forgery);
            assertThat(status).as(forgery.name()).isEqualTo(401);
        }

        assertThat(state(outTradeNo)).isEqualTo(PaymentState.NOT_PAID);
        assertThat(store.find(outTradeNo).orElseThrow().transactionId()).isNull();
        // BAD_SIGNATURE, UNKNOWN_SERIAL and STALE_TIMESTAMP fail verification; the tampered
        // ciphertext is correctly signed and fails AES-GCM authentication.
        assertThat(notifications("bad_signature") - badSignature).isEqualTo(3);
        assertThat(notifications("decrypt_failed") - decryptFailed).isEqualTo(1);
    }

    @Test
    void aHundredCopiesOfOneNotificationChangeThePaymentOnce() {
        String outTradeNo = newOrder() + "_1";
        payments().prepay(prepayRequest(outTradeNo, 1_888));
        double duplicates = registry.counter("scanorder.payment.notifications.duplicate").count();
        wechat.pay().notifications().duplicate(100);

        wechat.pay().pay(MCH, outTradeNo);

        await().atMost(WAIT)
                .until(
                        () ->
                                deliveriesOf(outTradeNo).stream()
                                                .filter(
                                                        d ->
                                                                d.outcome()
                                                                        == DeliveryOutcome
                                                                                .ACKNOWLEDGED)
                                                .count()
                                        == 100);
        PaymentRecord paid = store.find(outTradeNo).orElseThrow();
        assertThat(paid.state()).isEqualTo(PaymentState.SUCCESS);
        assertThat(paid.transactionId()).isNotNull();
        assertThat(
                        registry.counter("scanorder.payment.notifications.duplicate").count()
                                - duplicates)
                .isEqualTo(99);
    }

    @Test
    void refundNotificationOvertakingThePaymentNotificationLeavesThePaymentRefunded() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payments().prepay(prepayRequest(outTradeNo, 2_000));
        wechat.pay().notifications().hold();
        wechat.pay().pay(MCH, outTradeNo);
        // The service has no notification yet: Refund asks WeChat first and finds it paid.
        payments().refund(refundRequest(outTradeNo, order + "_R1", 2_000));
        assertThat(wechat.pay().notifications().heldCount()).isEqualTo(2);

        wechat.pay().notifications().release(ReleaseOrder.REVERSED);

        await().atMost(WAIT)
                .until(
                        () ->
                                deliveriesOf(outTradeNo).stream()
                                        .anyMatch(
                                                d -> d.outcome() == DeliveryOutcome.ACKNOWLEDGED));
        await().atMost(WAIT)
                .until(
                        () ->
                                store.findRefund(order + "_R1").orElseThrow().state()
                                        == RefundState.SUCCESS);
        PaymentRecord payment = store.find(outTradeNo).orElseThrow();
        assertThat(payment.state()).isEqualTo(PaymentState.REFUNDED);
        assertThat(payment.paidAt()).isNotNull();
    }

    // --- helpers -------------------------------------------------------------------------

    private PaymentServiceGrpc.PaymentServiceBlockingStub payments() {
        return payments.withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    private static String newOrder() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    }

    private PrepayRequest prepayRequest(String outTradeNo, long fen) {
        return PrepayRequest.newBuilder()
                .setStoreCode(STORE)
                .setOutTradeNo(outTradeNo)
                .setOrderId(outTradeNo.split("_")[0])
                .setDescription("ScanOrder 001 桌 12")
                .setAmountFen(fen)
                .setPayerOpenid("oPayer" + outTradeNo)
                .build();
    }

    private static QueryPaymentRequest query(String outTradeNo) {
        return QueryPaymentRequest.newBuilder()
                .setStoreCode(STORE)
                .setOutTradeNo(outTradeNo)
                .build();
    }

    private static ClosePaymentRequest close(String outTradeNo) {
        return ClosePaymentRequest.newBuilder()
                .setStoreCode(STORE)
                .setOutTradeNo(outTradeNo)
                .build();
    }

    /** A refund request that staff approved at the (stand-in) order service, as in production. */
    private RefundRequest refundRequest(String outTradeNo, String outRefundNo, long fen) {
        long total = store.find(outTradeNo).orElseThrow().amountFen();
        return PaymentInfrastructure.orderService()
                .approve(
                        outTradeNo.split("_")[0],
                        RefundRequest.newBuilder()
                                .setStoreCode(STORE)
                                .setOutTradeNo(outTradeNo)
                                .setOutRefundNo(outRefundNo)
                                .setRefundFen(fen)
                                .setTotalFen(total)
                                .setReason("菜品售罄")
                                .build());
    }

    private void payAndAwait(String outTradeNo, long fen) {
        payments().prepay(prepayRequest(outTradeNo, fen));
        wechat.pay().pay(MCH, outTradeNo);
        await().atMost(WAIT).until(() -> state(outTradeNo) == PaymentState.SUCCESS);
    }

    private PaymentState state(String outTradeNo) {
        return store.find(outTradeNo).map(PaymentRecord::state).orElse(null);
    }

    private List<Delivery> deliveriesOf(String subject) {
        return wechat.pay().deliveries().stream().filter(d -> d.subject().equals(subject)).toList();
    }

    private double notifications(String result) {
        return registry.counter("scanorder.payment.notifications", "result", result).count();
    }

    private boolean paySignVerifies(io.scanorder.proto.payment.v1.RequestPaymentParams p)
            throws Exception {
        java.security.interfaces.RSAPrivateCrtKey key =
                (java.security.interfaces.RSAPrivateCrtKey) merchant.credentials().privateKey();
        java.security.PublicKey publicKey =
                java.security.KeyFactory.getInstance("RSA")
                        .generatePublic(
                                new java.security.spec.RSAPublicKeySpec(
                                        key.getModulus(), key.getPublicExponent()));
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(publicKey);
        verifier.update(
                (p.getAppId()
                                + "\n"
                                + p.getTimeStamp()
                                + "\n"
                                + p.getNonceStr()
                                + "\n"
                                + p.getPackageValue()
                                + "\n")
                        .getBytes(StandardCharsets.UTF_8));
        return verifier.verify(Base64.getDecoder().decode(p.getPaySign()));
    }

    private static StatusRuntimeException grpcError(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("expected the call to fail");
    }

    private static void expect(StatusRuntimeException e, Status.Code code, String text) {
        assertThat(e.getStatus().getCode()).isEqualTo(code);
        assertThat(e.getStatus().getDescription()).contains(text);
    }
}
