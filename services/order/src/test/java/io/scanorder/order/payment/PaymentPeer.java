package io.scanorder.order.payment;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.PrepayResponse;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A PaymentService peer on a loopback port for PaymentClient's connection tests: it can be stopped
 * and started again on the same port (a payment pod restarting), made slow per request, and made to
 * answer UNAVAILABLE to first attempts or refuse an out_trade_no; it counts the TCP connections it
 * accepted and the attempts per out_trade_no.
 */
final class PaymentPeer implements AutoCloseable {
    final int port = FreePorts.loopback();
    private final AtomicInteger connections = new AtomicInteger();
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Set<String> refuseFirstAttempt = ConcurrentHashMap.newKeySet();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();
    private volatile Function<String, Duration> delay = outTradeNo -> Duration.ZERO;
    private Server server;

    synchronized PaymentPeer start() {
        if (server == null) {
            try {
                server =
                        Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                                .addTransportFilter(
                                        new ServerTransportFilter() {
                                            @Override
                                            public Attributes transportReady(Attributes a) {
                                                connections.incrementAndGet();
                                                return a;
                                            }
                                        })
                                .addService(new Impl())
                                .build()
                                .start();
            } catch (IOException e) {
                throw new UncheckedIOException("payment peer could not listen on " + port, e);
            }
        }
        return this;
    }

    /** Stops like a killed pod: open connections are cut, new ones are refused. */
    synchronized void stop() throws InterruptedException {
        if (server != null) {
            server.shutdownNow();
            server.awaitTermination(10, TimeUnit.SECONDS);
            server = null;
        }
    }

    /** How long the peer takes before answering a request for this out_trade_no. */
    void delay(Function<String, Duration> delay) {
        this.delay = delay;
    }

    /** The first attempt of each call for this out_trade_no is answered UNAVAILABLE. */
    void refuseFirstAttempt(String outTradeNo) {
        refuseFirstAttempt.add(outTradeNo);
    }

    /** Every attempt for this out_trade_no is answered FAILED_PRECONDITION, as a closed one. */
    void refuse(String outTradeNo) {
        refused.add(outTradeNo);
    }

    /** TCP connections that completed the HTTP/2 handshake since the peer was made. */
    int connections() {
        return connections.get();
    }

    int attempts(String outTradeNo) {
        AtomicInteger n = attempts.get(outTradeNo);
        return n == null ? 0 : n.get();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /** Counts the attempt and waits the delay; an error status to answer, or null to answer. */
    private Status arrive(String outTradeNo) {
        int n = attempts.computeIfAbsent(outTradeNo, k -> new AtomicInteger()).incrementAndGet();
        long ms = delay.apply(outTradeNo).toMillis();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Status.CANCELLED;
            }
        }
        if (refused.contains(outTradeNo)) {
            return Status.FAILED_PRECONDITION.withDescription(outTradeNo + " is closed");
        }
        if (n == 1 && refuseFirstAttempt.contains(outTradeNo)) {
            return Status.UNAVAILABLE.withDescription("payment peer refuses the first attempt");
        }
        return null;
    }

    private final class Impl extends PaymentServiceGrpc.PaymentServiceImplBase {
        @Override
        public void prepay(PrepayRequest request, StreamObserver<PrepayResponse> response) {
            Status refusal = arrive(request.getOutTradeNo());
            if (refusal != null) {
                response.onError(refusal.asRuntimeException());
                return;
            }
            response.onNext(
                    PrepayResponse.newBuilder()
                            .setOutTradeNo(request.getOutTradeNo())
                            .setPrepayId("wx" + request.getOutTradeNo())
                            .build());
            response.onCompleted();
        }

        @Override
        public void queryPayment(QueryPaymentRequest request, StreamObserver<Payment> response) {
            Status refusal = arrive(request.getOutTradeNo());
            if (refusal != null) {
                response.onError(refusal.asRuntimeException());
                return;
            }
            response.onNext(Payment.newBuilder().setOutTradeNo(request.getOutTradeNo()).build());
            response.onCompleted();
        }
    }
}
