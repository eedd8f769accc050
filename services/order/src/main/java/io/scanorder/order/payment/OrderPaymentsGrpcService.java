package io.scanorder.order.payment;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.scanorder.order.db.TransactionFailedException;
import io.scanorder.order.state.ConcurrentChangeException;
import io.scanorder.order.state.OrderNotFoundException;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import io.scanorder.proto.order.v1.RecordPaymentResponse;
import io.scanorder.proto.order.v1.RecordRefundRequest;
import io.scanorder.proto.order.v1.RecordRefundResponse;
import io.scanorder.proto.order.v1.RefundOutcome;
import io.smallrye.common.annotation.Blocking;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * gRPC {@code scanorder.order.v1.OrderPayments}, called by the payment service: translates and
 * delegates to {@link PaymentRecorder} and {@link RefundRecorder}. FAILED_PRECONDITION is reserved
 * for payments the order can never take, because the payment service refunds those automatically.
 */
@GrpcService
public class OrderPaymentsGrpcService extends OrderPaymentsGrpc.OrderPaymentsImplBase {
    private static final Logger LOG = Logger.getLogger(OrderPaymentsGrpcService.class);

    private final PaymentRecorder recorder;
    private final RefundRecorder refunds;

    OrderPaymentsGrpcService(PaymentRecorder recorder, RefundRecorder refunds) {
        this.recorder = recorder;
        this.refunds = refunds;
    }

    @Override
    @Blocking
    public void recordRefund(
            RecordRefundRequest request, StreamObserver<RecordRefundResponse> response) {
        RefundRecorder.Recorded recorded;
        try {
            if (request.getOutcome() != RefundOutcome.REFUND_OUTCOME_SUCCESS
                    && request.getOutcome() != RefundOutcome.REFUND_OUTCOME_CLOSED) {
                throw new IllegalArgumentException(
                        "outcome must be REFUND_OUTCOME_SUCCESS or REFUND_OUTCOME_CLOSED, got "
                                + request.getOutcome());
            }
            recorded =
                    refunds.record(
                            new RefundRecorder.RefundReport(
                                    request.getOrderId(),
                                    request.getStoreCode(),
                                    request.getOutRefundNo(),
                                    request.getRefundFen(),
                                    request.getTransactionId(),
                                    request.getRefundId(),
                                    request.getOutcome() == RefundOutcome.REFUND_OUTCOME_SUCCESS,
                                    request.hasSucceededAt()
                                            ? Instant.ofEpochSecond(
                                                    request.getSucceededAt().getSeconds(),
                                                    request.getSucceededAt().getNanos())
                                            : null));
        } catch (RuntimeException e) {
            response.onError(
                    toStatus("RecordRefund", request.getOutRefundNo(), e).asRuntimeException());
            return;
        }
        if (recorded.newlyRecorded()) {
            LOG.infof(
                    "order %s: refund %s %s (order now %s, refunded %d fen)",
                    recorded.orderId(),
                    request.getOutRefundNo(),
                    request.getOutcome(),
                    recorded.state(),
                    recorded.refundedFen());
        }
        response.onNext(
                RecordRefundResponse.newBuilder()
                        .setOrderId(recorded.orderId().toString())
                        .setOrderState(recorded.state().name())
                        .setNewlyRecorded(recorded.newlyRecorded())
                        .setRefundedFen(recorded.refundedFen())
                        .build());
        response.onCompleted();
    }

    @Override
    @Blocking
    public void recordPayment(
            RecordPaymentRequest request, StreamObserver<RecordPaymentResponse> response) {
        PaymentRecorder.Recorded recorded;
        try {
            recorded =
                    recorder.record(
                            new PaymentRecorder.PaymentReport(
                                    request.getOrderId(),
                                    request.getStoreCode(),
                                    request.getPaidFen(),
                                    request.getTransactionId(),
                                    request.getOutTradeNo()));
        } catch (RuntimeException e) {
            response.onError(
                    toStatus("RecordPayment", request.getOutTradeNo(), e).asRuntimeException());
            return;
        }
        if (recorded.newlyRecorded()) {
            LOG.infof(
                    "order %s paid by %s (%s)",
                    recorded.orderId(), request.getTransactionId(), request.getOutTradeNo());
        }
        response.onNext(
                RecordPaymentResponse.newBuilder()
                        .setOrderId(recorded.orderId().toString())
                        .setOrderState(recorded.state().name())
                        .setNewlyRecorded(recorded.newlyRecorded())
                        .build());
        response.onCompleted();
    }

    private static Status toStatus(String rpc, String subject, RuntimeException e) {
        if (e instanceof PaymentRefusedException) {
            LOG.warnf("%s refused %s: %s", rpc, subject, e.getMessage());
            return Status.FAILED_PRECONDITION.withDescription(e.getMessage());
        }
        if (e instanceof IllegalArgumentException) {
            return Status.INVALID_ARGUMENT.withDescription(e.getMessage());
        }
        if (e instanceof OrderNotFoundException) {
            return Status.NOT_FOUND.withDescription(e.getMessage());
        }
        if (e instanceof ConcurrentChangeException) {
            return Status.ABORTED.withDescription(e.getMessage());
        }
        if (e instanceof TransactionFailedException tx) {
            return Status.UNAVAILABLE.withDescription(
                    "the order database could not record "
                            + subject
                            + " (SQLSTATE "
                            + tx.sqlState()
                            + " after "
                            + tx.attempts()
                            + " attempts); retry the same request");
        }
        LOG.errorf(e, "%s %s failed unexpectedly", rpc, subject);
        return Status.INTERNAL.withDescription(
                rpc + " failed: " + e.getClass().getSimpleName() + "; retry later");
    }
}
