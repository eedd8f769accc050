package io.scanorder.payment.orders;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import io.scanorder.proto.order.v1.RecordPaymentResponse;
import io.scanorder.proto.order.v1.RecordRefundRequest;
import io.scanorder.proto.order.v1.RecordRefundResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server (grpc-java, on a loopback port) standing in for the order service's
 * OrderPayments: it records every call and its answer, refuses the orders a test marks as closed
 * with FAILED_PRECONDITION as the order service does, acknowledges RecordRefund calls, and can be
 * stopped and started again on the same port to play an order service that is down.
 */
public final class RecordingOrderService implements AutoCloseable {
    /** One received call and what it was answered. */
    public record Call(RecordPaymentRequest request, Status.Code answer) {}

    private final int port;

    /** One received RecordRefund call and what it was answered. */
    public record RefundCall(RecordRefundRequest request, Status.Code answer) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<RefundCall> refundCalls = new CopyOnWriteArrayList<>();
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private final Map<String, String> paidBy = new ConcurrentHashMap<>();
    private Server server;

    public RecordingOrderService(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public synchronized RecordingOrderService start() {
        if (server != null) {
            return this;
        }
        try {
            server =
                    Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                            .addService(new Impl())
                            .build()
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Makes RecordPayment for this order fail with FAILED_PRECONDITION and this message. */
    public void refuse(String orderId, String message) {
        refusals.put(orderId, message);
    }

    /** Every call received for a payment attempt, in arrival order. */
    public List<Call> callsFor(String outTradeNo) {
        return calls.stream().filter(c -> c.request().getOutTradeNo().equals(outTradeNo)).toList();
    }

    /** Every RecordRefund call received for a refund, in arrival order. */
    public List<RefundCall> refundCallsFor(String outRefundNo) {
        return refundCalls.stream()
                .filter(c -> c.request().getOutRefundNo().equals(outRefundNo))
                .toList();
    }

    @Override
    public void close() {
        stop();
    }

    private final class Impl extends OrderPaymentsGrpc.OrderPaymentsImplBase {
        @Override
        public void recordPayment(
                RecordPaymentRequest request, StreamObserver<RecordPaymentResponse> response) {
            String refusal = refusals.get(request.getOrderId());
            if (refusal != null) {
                calls.add(new Call(request, Status.Code.FAILED_PRECONDITION));
                response.onError(
                        Status.FAILED_PRECONDITION.withDescription(refusal).asRuntimeException());
                return;
            }
            String first = paidBy.putIfAbsent(request.getOrderId(), request.getTransactionId());
            calls.add(new Call(request, Status.Code.OK));
            response.onNext(
                    RecordPaymentResponse.newBuilder()
                            .setOrderId(request.getOrderId())
                            .setOrderState("PAID")
                            .setNewlyRecorded(first == null)
                            .build());
            response.onCompleted();
        }

        @Override
        public void recordRefund(
                RecordRefundRequest request, StreamObserver<RecordRefundResponse> response) {
            boolean first =
                    refundCalls.stream()
                            .noneMatch(
                                    c ->
                                            c.request()
                                                    .getOutRefundNo()
                                                    .equals(request.getOutRefundNo()));
            refundCalls.add(new RefundCall(request, Status.Code.OK));
            response.onNext(
                    RecordRefundResponse.newBuilder()
                            .setOrderId(request.getOrderId())
                            .setOrderState("REFUNDED")
                            .setNewlyRecorded(first)
                            .setRefundedFen(request.getRefundFen())
                            .build());
            response.onCompleted();
        }
    }
}
