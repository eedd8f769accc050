package io.scanorder.payment.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.grpc.GrpcService;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.Payments;
import io.scanorder.payment.reconcile.Reconciler;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.ReconciliationReport.Kind;
import io.scanorder.payment.store.RefundRecord;
import io.scanorder.proto.payment.v1.ClosePaymentRequest;
import io.scanorder.proto.payment.v1.DifferenceKind;
import io.scanorder.proto.payment.v1.GetReconciliationReportRequest;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PaymentState;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.PrepayResponse;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.proto.payment.v1.QueryRefundRequest;
import io.scanorder.proto.payment.v1.ReconcileBillRequest;
import io.scanorder.proto.payment.v1.ReconciliationDifference;
import io.scanorder.proto.payment.v1.ReconciliationRefundDifference;
import io.scanorder.proto.payment.v1.ReconciliationReport;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.proto.payment.v1.RefundResult;
import io.scanorder.proto.payment.v1.RefundStatus;
import io.scanorder.proto.payment.v1.RequestPaymentParams;
import io.smallrye.common.annotation.Blocking;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** gRPC {@code scanorder.payment.v1.PaymentService}: translates proto messages and delegates. */
@GrpcService
public class PaymentGrpcService extends PaymentServiceGrpc.PaymentServiceImplBase {
    private static final Logger LOG = Logger.getLogger(PaymentGrpcService.class);

    private static final java.util.regex.Pattern STORE_CODE =
            java.util.regex.Pattern.compile("[0-9]{3}");

    private final Payments payments;
    private final Reconciler reconciler;
    private final MeterRegistry registry;

    PaymentGrpcService(Payments payments, Reconciler reconciler, MeterRegistry registry) {
        this.payments = payments;
        this.reconciler = reconciler;
        this.registry = registry;
    }

    @Override
    @Blocking
    public void reconcileBill(
            ReconcileBillRequest request, StreamObserver<ReconciliationReport> response) {
        answer(
                "ReconcileBill",
                response,
                () -> {
                    requireStoreCode(request.getStoreCode());
                    return report(reconciler.reconcile(reconciler.billDate(request.getBillDate())));
                });
    }

    @Override
    @Blocking
    public void getReconciliationReport(
            GetReconciliationReportRequest request, StreamObserver<ReconciliationReport> response) {
        answer(
                "GetReconciliationReport",
                response,
                () -> {
                    requireStoreCode(request.getStoreCode());
                    return report(reconciler.latest(reconciler.billDate(request.getBillDate())));
                });
    }

    private static void requireStoreCode(String storeCode) {
        if (storeCode == null || !STORE_CODE.matcher(storeCode).matches()) {
            throw new PaymentException(
                    PaymentException.Reason.INVALID_ARGUMENT,
                    "store_code must be 3 digits, got '" + storeCode + "'");
        }
    }

    static ReconciliationReport report(io.scanorder.payment.store.ReconciliationReport r) {
        ReconciliationReport.Builder b =
                ReconciliationReport.newBuilder()
                        .setBillDate(r.billDate().toString())
                        .setRunId(r.runId())
                        .setReconciledAt(timestamp(r.reconciledAt()))
                        .setMatchedCount(r.matched())
                        .setMissingHereCount((int) r.count(Kind.MISSING_HERE))
                        .setMissingAtWechatCount((int) r.count(Kind.MISSING_AT_WECHAT))
                        .setMismatchCount((int) r.count(Kind.AMOUNT_MISMATCH));
        for (var d : r.differences()) {
            ReconciliationDifference.Builder diff =
                    ReconciliationDifference.newBuilder()
                            .setKind(DifferenceKind.valueOf("DIFFERENCE_KIND_" + d.kind().name()))
                            .setOutTradeNo(d.outTradeNo())
                            .setDetail(d.detail());
            if (d.transactionId() != null) {
                diff.setTransactionId(d.transactionId());
            }
            if (d.ourFen() != null) {
                diff.setOurAmountFen(d.ourFen());
            }
            if (d.wechatFen() != null) {
                diff.setWechatAmountFen(d.wechatFen());
            }
            b.addDifferences(diff);
        }
        b.setMatchedRefundCount(r.matchedRefunds());
        for (var d : r.refundDifferences()) {
            ReconciliationRefundDifference.Builder diff =
                    ReconciliationRefundDifference.newBuilder()
                            .setKind(DifferenceKind.valueOf("DIFFERENCE_KIND_" + d.kind().name()))
                            .setOutRefundNo(d.outRefundNo())
                            .setOutTradeNo(d.outTradeNo())
                            .setDetail(d.detail());
            if (d.refundId() != null) {
                diff.setRefundId(d.refundId());
            }
            if (d.ourFen() != null) {
                diff.setOurRefundFen(d.ourFen());
            }
            if (d.wechatFen() != null) {
                diff.setWechatRefundFen(d.wechatFen());
            }
            b.addRefundDifferences(diff);
        }
        return b.build();
    }

    @Override
    @Blocking
    public void prepay(PrepayRequest request, StreamObserver<PrepayResponse> response) {
        answer(
                "Prepay",
                response,
                () -> {
                    Payments.Prepaid prepaid =
                            payments.prepay(
                                    new Payments.PrepayCommand(
                                            request.getStoreCode(),
                                            request.getOutTradeNo(),
                                            request.getOrderId(),
                                            request.getDescription(),
                                            request.getAmountFen(),
                                            request.getPayerOpenid(),
                                            request.hasExpiresAt()
                                                    ? instant(request.getExpiresAt())
                                                    : null,
                                            request.getDeviceFingerprint()));
                    var pay = prepaid.pay();
                    return PrepayResponse.newBuilder()
                            .setPrepayId(prepaid.prepayId())
                            .setOutTradeNo(prepaid.outTradeNo())
                            .setRequestPayment(
                                    RequestPaymentParams.newBuilder()
                                            .setAppId(pay.getAppId())
                                            .setTimeStamp(pay.getTimeStamp())
                                            .setNonceStr(pay.getNonceStr())
                                            .setPackageValue(pay.getPackageVal())
                                            .setSignType(pay.getSignType())
                                            .setPaySign(pay.getPaySign()))
                            .build();
                });
    }

    @Override
    @Blocking
    public void queryPayment(QueryPaymentRequest request, StreamObserver<Payment> response) {
        answer(
                "QueryPayment",
                response,
                () -> payment(payments.query(request.getStoreCode(), request.getOutTradeNo())));
    }

    @Override
    @Blocking
    public void closePayment(ClosePaymentRequest request, StreamObserver<Payment> response) {
        answer(
                "ClosePayment",
                response,
                () -> payment(payments.close(request.getStoreCode(), request.getOutTradeNo())));
    }

    @Override
    @Blocking
    public void refund(RefundRequest request, StreamObserver<RefundResult> response) {
        answer(
                "Refund",
                response,
                () ->
                        refund(
                                payments.refund(
                                        new Payments.RefundCommand(
                                                request.getStoreCode(),
                                                request.getOutTradeNo(),
                                                request.getOutRefundNo(),
                                                request.getRefundFen(),
                                                request.getTotalFen(),
                                                request.getReason(),
                                                request.getGoodsList().stream()
                                                        .map(
                                                                g ->
                                                                        new Payments.RefundGoods(
                                                                                g
                                                                                        .getMerchantGoodsId(),
                                                                                g.getGoodsName(),
                                                                                g.getUnitPriceFen(),
                                                                                g
                                                                                        .getRefundQuantity(),
                                                                                g.getRefundFen()))
                                                        .toList()))));
    }

    @Override
    @Blocking
    public void queryRefund(QueryRefundRequest request, StreamObserver<RefundResult> response) {
        answer(
                "QueryRefund",
                response,
                () ->
                        refund(
                                payments.queryRefund(
                                        request.getStoreCode(), request.getOutRefundNo())));
    }

    /**
     * Runs one rpc and answers it; its duration is recorded in {@code
     * scanorder_payment_rpc_seconds{rpc, outcome}} (e.g. Prepay and QueryPayment latency as callers
     * see it, WeChat included).
     */
    private <T> void answer(String rpc, StreamObserver<T> response, Supplier<T> work) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            outcome = answerTimed(rpc, response, work);
        } finally {
            Timer.builder("scanorder.payment.rpc")
                    .description("Time to answer a PaymentService rpc")
                    .tag("rpc", rpc)
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** Answers the rpc; returns "ok" or the lower-case status code it was refused with. */
    private static <T> String answerTimed(
            String rpc, StreamObserver<T> response, Supplier<T> work) {
        T result;
        try {
            result = work.get();
        } catch (PaymentException e) {
            if (e.reason() == PaymentException.Reason.UNAVAILABLE
                    || e.reason() == PaymentException.Reason.INTERNAL) {
                LOG.warnf("%s failed: %s", rpc, e.getMessage());
            }
            response.onError(
                    Status.fromCode(Status.Code.valueOf(e.reason().name()))
                            .withDescription(e.getMessage())
                            .asRuntimeException());
            return e.reason().name().toLowerCase(java.util.Locale.ROOT);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed unexpectedly", rpc);
            response.onError(
                    Status.INTERNAL
                            .withDescription(rpc + " failed: " + e.getClass().getSimpleName())
                            .asRuntimeException());
            return "internal";
        }
        response.onNext(result);
        response.onCompleted();
        return "ok";
    }

    static Payment payment(PaymentRecord p) {
        Payment.Builder b =
                Payment.newBuilder()
                        .setOutTradeNo(p.outTradeNo())
                        .setState(PaymentState.valueOf("PAYMENT_STATE_" + p.state().name()))
                        .setAmountFen(p.amountFen());
        if (p.transactionId() != null) {
            b.setTransactionId(p.transactionId());
        }
        if (p.payerTotalFen() != null) {
            b.setPayerTotalFen(p.payerTotalFen());
        }
        if (p.paidAt() != null) {
            b.setPaidAt(timestamp(p.paidAt()));
        }
        if (p.stateDescription() != null) {
            b.setStateDescription(p.stateDescription());
        }
        return b.build();
    }

    static RefundResult refund(RefundRecord r) {
        RefundResult.Builder b =
                RefundResult.newBuilder()
                        .setOutRefundNo(r.outRefundNo())
                        .setOutTradeNo(r.outTradeNo())
                        .setStatus(RefundStatus.valueOf("REFUND_STATUS_" + r.state().name()))
                        .setRefundFen(r.refundFen());
        if (r.refundId() != null) {
            b.setRefundId(r.refundId());
        }
        if (r.succeededAt() != null) {
            b.setSucceededAt(timestamp(r.succeededAt()));
        }
        return b.build();
    }

    private static Instant instant(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    }

    private static Timestamp timestamp(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }
}
