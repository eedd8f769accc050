package io.scanorder.order.payment;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PaymentState;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.PrepayResponse;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.proto.payment.v1.RefundResult;
import io.scanorder.proto.payment.v1.RefundStatus;
import io.scanorder.proto.payment.v1.RequestPaymentParams;
import io.scanorder.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC PaymentService on a loopback port for the order service's tests (the real payment service
 * is a separate Quarkus application that cannot run in this JVM): records every Prepay request,
 * answers with parameters derived from it, refuses attempts a test marks as closed the way the
 * payment service does, and can be stopped to play a payment service that is down.
 */
public class RecordingPaymentService implements QuarkusTestResourceLifecycleManager {
    private static volatile RecordingPaymentService running;

    private final List<PrepayRequest> prepays = new CopyOnWriteArrayList<>();
    private final Set<String> closed = ConcurrentHashMap.newKeySet();
    private final Map<String, Payment> payments = new ConcurrentHashMap<>();
    private final List<RefundRequest> refunds = new CopyOnWriteArrayList<>();
    private final List<QueryPaymentRequest> queries = new CopyOnWriteArrayList<>();
    private final Set<String> refusedTrades = ConcurrentHashMap.newKeySet();
    private final Map<String, Status> refusedDevices = new ConcurrentHashMap<>();
    private int port;
    private Server server;

    /** The instance the current test application talks to. */
    static RecordingPaymentService running() {
        return running;
    }

    @Override
    public Map<String, String> start() {
        port = FreePorts.loopback();
        running = this;
        listen();
        return Map.of(
                "scanorder.payment.grpc.host", "127.0.0.1",
                "scanorder.payment.grpc.port", Integer.toString(port),
                "scanorder.payment.grpc.deadline", "PT3S",
                "scanorder.payment.refund-dispatch.enabled", "true",
                "scanorder.payment.refund-dispatch.poll-interval", "PT0.2S",
                "scanorder.payment.refund-dispatch.retry-initial", "PT0.5S",
                "scanorder.payment.refund-dispatch.retry-max", "PT2S",
                "scanorder.payment.refund-dispatch.lease", "PT20S");
    }

    @Override
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

    synchronized void listen() {
        if (server != null) {
            return;
        }
        try {
            server =
                    Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                            .addService(new Impl())
                            .build()
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes Prepay of this out_trade_no fail as a closed trade does. */
    void close(String outTradeNo) {
        closed.add(outTradeNo);
    }

    /** Makes QueryPayment answer for this attempt, paid by {@code transactionId} when not empty. */
    void knowPayment(String outTradeNo, String transactionId, long amountFen) {
        payments.put(
                outTradeNo,
                Payment.newBuilder()
                        .setOutTradeNo(outTradeNo)
                        .setTransactionId(transactionId)
                        .setState(
                                transactionId.isEmpty()
                                        ? PaymentState.PAYMENT_STATE_CLOSED
                                        : PaymentState.PAYMENT_STATE_SUCCESS)
                        .setAmountFen(amountFen)
                        .build());
    }

    /**
     * Makes Prepay with this device fingerprint fail with {@code status}, as the payment service
     * answers over its per-device limit (whose counting its own tests prove).
     */
    void refusePrepaysFrom(String deviceFingerprint, Status status) {
        refusedDevices.put(deviceFingerprint, status);
    }

    /** Makes Refund of this out_trade_no fail as the payment service refuses an unpaid one. */
    void refuseRefundsOf(String outTradeNo) {
        refusedTrades.add(outTradeNo);
    }

    /** Every Refund request received whose out_refund_no starts with the order's key. */
    List<RefundRequest> refundsOf(UUID orderId) {
        String prefix = TradeNumbers.orderKey(orderId) + "_R";
        return refunds.stream().filter(r -> r.getOutRefundNo().startsWith(prefix)).toList();
    }

    /** Every QueryPayment request received for one of the order's attempts. */
    List<QueryPaymentRequest> queriesOf(UUID orderId) {
        String prefix = TradeNumbers.orderKey(orderId) + "_";
        return queries.stream().filter(q -> q.getOutTradeNo().startsWith(prefix)).toList();
    }

    List<PrepayRequest> prepaysOf(String orderId) {
        return prepays.stream().filter(p -> p.getOrderId().equals(orderId)).toList();
    }

    private final class Impl extends PaymentServiceGrpc.PaymentServiceImplBase {
        @Override
        public void prepay(PrepayRequest request, StreamObserver<PrepayResponse> response) {
            prepays.add(request);
            Status refusal = refusedDevices.get(request.getDeviceFingerprint());
            if (refusal != null) {
                response.onError(refusal.asRuntimeException());
                return;
            }
            if (closed.contains(request.getOutTradeNo())) {
                response.onError(
                        Status.FAILED_PRECONDITION
                                .withDescription(
                                        "out_trade_no "
                                                + request.getOutTradeNo()
                                                + " is closed; pay again as the next attempt")
                                .asRuntimeException());
                return;
            }
            String prepayId = "wx" + Integer.toHexString(request.getOutTradeNo().hashCode());
            response.onNext(
                    PrepayResponse.newBuilder()
                            .setPrepayId(prepayId)
                            .setOutTradeNo(request.getOutTradeNo())
                            .setRequestPayment(
                                    RequestPaymentParams.newBuilder()
                                            .setAppId("wx00000000000a11ce")
                                            .setTimeStamp("1764120000")
                                            .setNonceStr("n" + request.getOutTradeNo())
                                            .setPackageValue("prepay_id=" + prepayId)
                                            .setSignType("RSA")
                                            .setPaySign("sig-" + request.getAmountFen()))
                            .build());
            response.onCompleted();
        }

        @Override
        public void queryPayment(QueryPaymentRequest request, StreamObserver<Payment> response) {
            queries.add(request);
            Payment p = payments.get(request.getOutTradeNo());
            if (p == null) {
                response.onError(
                        Status.NOT_FOUND
                                .withDescription(
                                        "out_trade_no " + request.getOutTradeNo() + " is unknown")
                                .asRuntimeException());
                return;
            }
            response.onNext(p);
            response.onCompleted();
        }

        @Override
        public void refund(RefundRequest request, StreamObserver<RefundResult> response) {
            refunds.add(request);
            if (refusedTrades.contains(request.getOutTradeNo())) {
                response.onError(
                        Status.FAILED_PRECONDITION
                                .withDescription(
                                        "out_trade_no "
                                                + request.getOutTradeNo()
                                                + " is CLOSED; only paid payments can be refunded")
                                .asRuntimeException());
                return;
            }
            response.onNext(
                    RefundResult.newBuilder()
                            .setOutRefundNo(request.getOutRefundNo())
                            .setOutTradeNo(request.getOutTradeNo())
                            .setStatus(RefundStatus.REFUND_STATUS_PROCESSING)
                            .setRefundFen(request.getRefundFen())
                            .build());
            response.onCompleted();
        }
    }
}
