package io.scanorder.order.payment;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.PrepayResponse;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.proto.payment.v1.RefundResult;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The payment service's PaymentService over gRPC, at {@code scanorder.payment.grpc.host}:{@code
 * port}. The channel connects on first use, so the order service starts while payments are down.
 */
@ApplicationScoped
public class PaymentClient {
    private final String host;
    private final int port;
    private final Duration deadline;
    private volatile ManagedChannel channel;

    PaymentClient(
            @ConfigProperty(
                            name = "scanorder.payment.grpc.host",
                            defaultValue = "scanorder-payment")
                    String host,
            @ConfigProperty(name = "scanorder.payment.grpc.port", defaultValue = "9000") int port,
            @ConfigProperty(name = "scanorder.payment.grpc.deadline", defaultValue = "PT10S")
                    Duration deadline) {
        this.host = host;
        this.port = port;
        this.deadline = deadline;
        this.channel = newChannel();
    }

    private ManagedChannel newChannel() {
        return ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
    }

    /** Where the payment service is expected, for error messages. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * Prepay, waiting up to the deadline for a connection: after the payment service was down the
     * channel may still be backing off, and failing fast then would refuse a diner although the
     * service is back. A service that stays down ends in DEADLINE_EXCEEDED.
     */
    public PrepayResponse prepay(PrepayRequest request) {
        return stub().prepay(request);
    }

    /** QueryPayment of one payment attempt, waiting for a connection as {@link #prepay} does. */
    public Payment queryPayment(QueryPaymentRequest request) {
        return stub().queryPayment(request);
    }

    /**
     * Refund, waiting for a connection as {@link #prepay} does. Idempotent at the payment service
     * by out_refund_no, so repeating a call whose answer was lost is safe.
     */
    public RefundResult refund(RefundRequest request) {
        return stub().refund(request);
    }

    private PaymentServiceGrpc.PaymentServiceBlockingStub stub() {
        ManagedChannel current = channel;
        if (current.getState(true) == ConnectivityState.TRANSIENT_FAILURE) {
            current.resetConnectBackoff();
        }
        return PaymentServiceGrpc.newBlockingStub(current)
                .withWaitForReady()
                .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * After the payment service did not answer: the next call starts on a fresh channel, which
     * connects at once, instead of waiting out the old channel's growing reconnect backoff.
     */
    synchronized void reconnect() {
        ManagedChannel old = channel;
        channel = newChannel();
        old.shutdown();
    }

    @PreDestroy
    void close() {
        channel.shutdownNow();
    }
}
