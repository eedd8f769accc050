package io.scanorder.order.payment;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The payment service's PaymentService over gRPC, at {@code scanorder.payment.grpc.host}:{@code
 * port}, on ONE channel for the life of the service: grpc-java reconnects a channel by itself, and
 * replacing it under concurrent callers shut down channels other calls were using. The channel
 * connects on first use, so the order service starts while payments are down.
 *
 * <p>Each call waits for a connection up to its own deadline. While the payment service is down the
 * channel backs off between connection attempts (growing towards two minutes); so that calls
 * succeed as soon as it is back, the backoff is cut short at most once per {@link
 * #RECONNECT_INTERVAL} while calls wait. A call that runs out its deadline may be stuck on a
 * connection to a pod that is gone: the channel then drops its connection and resolves the address
 * again ({@link ManagedChannel#enterIdle()}), at most once per deadline, letting calls in flight
 * finish. Every rpc of PaymentService is idempotent by its out_trade_no or out_refund_no, so gRPC
 * retries an UNAVAILABLE call (throttled when most calls fail).
 */
@ApplicationScoped
public class PaymentClient {
    private static final Logger LOG = Logger.getLogger(PaymentClient.class);

    /** Micrometer name of {@code scanorder_payment_client_calls_total}{rpc, outcome}. */
    static final String CALLS = "scanorder.payment.client.calls";

    /** Micrometer name of {@code scanorder_payment_client_reconnects_total}{trigger}. */
    static final String RECONNECTS = "scanorder.payment.client.reconnects";

    /** Least time between two cut-short backoffs: at most one early connection attempt each. */
    static final Duration RECONNECT_INTERVAL = Duration.ofSeconds(1);

    private final String host;
    private final int port;
    private final Duration deadline;
    private final MeterRegistry registry;
    private final ManagedChannel channel;
    private final ScheduledExecutorService ticker;
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicLong lastBackoffReset = new AtomicLong(longAgo());
    private final AtomicLong lastRecycle = new AtomicLong(longAgo());

    PaymentClient(
            @ConfigProperty(
                            name = "scanorder.payment.grpc.host",
                            defaultValue = "scanorder-payment")
                    String host,
            @ConfigProperty(name = "scanorder.payment.grpc.port", defaultValue = "9000") int port,
            @ConfigProperty(name = "scanorder.payment.grpc.deadline", defaultValue = "PT10S")
                    Duration deadline,
            MeterRegistry registry) {
        this.host = host;
        this.port = port;
        this.deadline = deadline;
        this.registry = registry;
        this.channel =
                ManagedChannelBuilder.forAddress(host, port)
                        .usePlaintext()
                        .defaultServiceConfig(serviceConfig())
                        .enableRetry()
                        .build();
        this.ticker =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "payment-client-reconnect");
                            t.setDaemon(true);
                            return t;
                        });
        long ms = RECONNECT_INTERVAL.toMillis();
        // A call already waiting does not pass through call() again: the peer coming back
        // mid-wait must still end the backoff, or the call waits out the whole deadline.
        ticker.scheduleWithFixedDelay(this::reconnectWhileCallsWait, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * Retry of UNAVAILABLE for the rpcs this client calls, all idempotent at the payment service
     * (payment.proto): Prepay by out_trade_no (a repeat returns the same prepay id), QueryPayment
     * only reads, Refund by out_refund_no. At most 3 attempts within the one deadline; gRPC's retry
     * throttling stops retrying while most calls fail, so an outage is not tripled.
     */
    static Map<String, ?> serviceConfig() {
        List<Map<String, ?>> names =
                List.of(
                        method(PaymentServiceGrpc.getPrepayMethod().getBareMethodName()),
                        method(PaymentServiceGrpc.getQueryPaymentMethod().getBareMethodName()),
                        method(PaymentServiceGrpc.getRefundMethod().getBareMethodName()));
        return Map.of(
                "methodConfig",
                List.of(
                        Map.of(
                                "name",
                                names,
                                "retryPolicy",
                                Map.of(
                                        "maxAttempts",
                                        3.0,
                                        "initialBackoff",
                                        "0.2s",
                                        "maxBackoff",
                                        "1s",
                                        "backoffMultiplier",
                                        2.0,
                                        "retryableStatusCodes",
                                        List.of("UNAVAILABLE")))),
                "retryThrottling",
                Map.of("maxTokens", 10.0, "tokenRatio", 0.1));
    }

    private static Map<String, ?> method(String name) {
        return Map.of("service", PaymentServiceGrpc.SERVICE_NAME, "method", name);
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
        return call("Prepay", stub -> stub.prepay(request));
    }

    /** QueryPayment of one payment attempt, waiting for a connection as {@link #prepay} does. */
    public Payment queryPayment(QueryPaymentRequest request) {
        return call("QueryPayment", stub -> stub.queryPayment(request));
    }

    /**
     * Refund, waiting for a connection as {@link #prepay} does. Idempotent at the payment service
     * by out_refund_no, so repeating a call whose answer was lost is safe.
     */
    public RefundResult refund(RefundRequest request) {
        return call("Refund", stub -> stub.refund(request));
    }

    private <T> T call(
            String rpc, Function<PaymentServiceGrpc.PaymentServiceBlockingStub, T> rpcs) {
        waiting.incrementAndGet();
        try {
            if (channel.getState(true) == ConnectivityState.TRANSIENT_FAILURE) {
                resetBackoffAtMostOncePerInterval();
            }
            T answer =
                    rpcs.apply(
                            PaymentServiceGrpc.newBlockingStub(channel)
                                    .withWaitForReady()
                                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
            count(rpc, "ok");
            return answer;
        } catch (StatusRuntimeException e) {
            count(rpc, e.getStatus().getCode().name().toLowerCase(Locale.ROOT));
            if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED) {
                recycleConnectionAtMostOncePerDeadline();
            }
            throw e;
        } finally {
            waiting.decrementAndGet();
        }
    }

    private void reconnectWhileCallsWait() {
        try {
            if (waiting.get() > 0
                    && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
                resetBackoffAtMostOncePerInterval();
            }
        } catch (RuntimeException e) {
            // a thrown exception would cancel the schedule for good
            LOG.debugf("payment client reconnect check failed: %s", e);
        }
    }

    /** Ends the channel's backoff so it tries to connect now; one caller per interval does it. */
    private void resetBackoffAtMostOncePerInterval() {
        if (claim(lastBackoffReset, RECONNECT_INTERVAL)) {
            channel.resetConnectBackoff();
            reconnected("unreachable");
        }
    }

    /**
     * After a call ran out its deadline: the connection may lead to a pod that is gone without a
     * word (half-open TCP), or the Service name may point elsewhere now. Entering idle drops the
     * connection and the name resolution and starts both anew for the next call, while calls in
     * flight finish on the old connection. All calls that failed within one deadline saw the same
     * connection, so one of them does it.
     */
    private void recycleConnectionAtMostOncePerDeadline() {
        if (claim(lastRecycle, deadline)) {
            LOG.warnf(
                    "a call to the payment service at %s got no answer within %s: reopening the"
                            + " connection (calls in flight go on)",
                    address(), deadline);
            channel.enterIdle();
            reconnected("deadline_exceeded");
        }
    }

    private static long longAgo() {
        return System.nanoTime() - Duration.ofDays(1).toNanos();
    }

    /** True for exactly one caller per {@code interval}. */
    private static boolean claim(AtomicLong last, Duration interval) {
        long now = System.nanoTime();
        long previous = last.get();
        return now - previous >= interval.toNanos() && last.compareAndSet(previous, now);
    }

    private void count(String rpc, String outcome) {
        Counter.builder(CALLS)
                .description(
                        "Calls of the order service to the payment service's PaymentService, by"
                                + " rpc and outcome (ok or the gRPC status code in lower case)")
                .tag("rpc", rpc)
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private void reconnected(String trigger) {
        Counter.builder(RECONNECTS)
                .description(
                        "Connection attempts to the payment service the order service made ahead"
                                + " of gRPC's backoff (trigger unreachable) or after a call got no"
                                + " answer in time (trigger deadline_exceeded)")
                .tag("trigger", trigger)
                .register(registry)
                .increment();
    }

    @PreDestroy
    void close() {
        ticker.shutdownNow();
        channel.shutdownNow();
    }
}
