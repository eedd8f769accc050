package io.scanorder.order.payment;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.PrepayResponse;
import io.scanorder.proto.payment.v1.RequestPaymentParams;
import io.scanorder.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
                "scanorder.payment.grpc.deadline", "PT3S");
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

    List<PrepayRequest> prepaysOf(String orderId) {
        return prepays.stream().filter(p -> p.getOrderId().equals(orderId)).toList();
    }

    private final class Impl extends PaymentServiceGrpc.PaymentServiceImplBase {
        @Override
        public void prepay(PrepayRequest request, StreamObserver<PrepayResponse> response) {
            prepays.add(request);
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
    }
}
