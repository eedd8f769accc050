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
import io.smallrye.common.annotation.Blocking;
import org.jboss.logging.Logger;

/**
 * gRPC {@code scanorder.order.v1.OrderPayments}, called by the payment service: translates and
 * delegates to {@link PaymentRecorder}. FAILED_PRECONDITION is reserved for payments the order can
 * never take, because the payment service refunds those automatically.
 */
@GrpcService
public class OrderPaymentsGrpcService extends OrderPaymentsGrpc.OrderPaymentsImplBase {
    private static final Logger LOG = Logger.getLogger(OrderPaymentsGrpcService.class);

    private final PaymentRecorder recorder;

    OrderPaymentsGrpcService(PaymentRecorder recorder) {
        this.recorder = recorder;
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
                                    request.getTransactionId()));
        } catch (RuntimeException e) {
            response.onError(toStatus(request, e).asRuntimeException());
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

    private static Status toStatus(RecordPaymentRequest request, RuntimeException e) {
        if (e instanceof PaymentRefusedException) {
            LOG.warnf("refused payment %s: %s", request.getOutTradeNo(), e.getMessage());
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
                    "the order database could not record the payment (SQLSTATE "
                            + tx.sqlState()
                            + " after "
                            + tx.attempts()
                            + " attempts); retry the same request");
        }
        LOG.errorf(e, "RecordPayment %s failed unexpectedly", request.getOutTradeNo());
        return Status.INTERNAL.withDescription(
                "RecordPayment failed: " + e.getClass().getSimpleName() + "; retry later");
    }
}
