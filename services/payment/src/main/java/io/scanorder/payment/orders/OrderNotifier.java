package io.scanorder.payment.orders;

import com.google.protobuf.Timestamp;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.Payments;
import io.scanorder.payment.store.OrderNotice;
import io.scanorder.payment.store.OrderNoticeStore;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundNotice;
import io.scanorder.payment.store.RefundRecord;
import io.scanorder.payment.store.RefundState;
import io.scanorder.payment.wechat.OutRefundNo;
import io.scanorder.payment.wechat.OutTradeNo;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import io.scanorder.proto.order.v1.RecordRefundRequest;
import io.scanorder.proto.order.v1.RefundOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Delivers recorded payments to the order service ({@code OrderPayments.RecordPayment}) from the
 * {@code order_notices} outbox, retrying with exponential backoff until the order service
 * acknowledges: nothing is lost while it is down, and nothing is lost when this service restarts,
 * because the work lives in the database. When the order service refuses a payment for good
 * (FAILED_PRECONDITION: the order was closed by its timeout, cancelled, or already paid by another
 * transaction) the payment is refunded in full, retried the same way until WeChat accepts. Refund
 * outcomes ({@code refund_notices}) go the same way ({@code OrderPayments.RecordRefund}).
 */
@ApplicationScoped
public class OrderNotifier {
    private static final Logger LOG = Logger.getLogger(OrderNotifier.class);
    static final String AUTO_REFUND_REASON = "Order closed before the payment arrived; refunded";

    /** Outcomes counted in {@code scanorder_payment_order_notices_total{result}}. */
    enum Result {
        DELIVERED,
        REFUSED,
        REFUNDED,
        RETRY,
        FAILED
    }

    private final OrderNoticeStore notices;
    private final Payments payments;
    private final PaymentStore store;
    private final OrderServiceChannel channel;
    private final Duration interval;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration callTimeout;
    private final Duration lease;
    private final int batchSize;
    private final Map<Result, Counter> results = new EnumMap<>(Result.class);
    private final Map<Result, Counter> refundResults = new EnumMap<>(Result.class);
    private final AtomicLong refundBacklog = new AtomicLong();
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();

    private ScheduledExecutorService executor;

    OrderNotifier(
            OrderNoticeStore notices,
            Payments payments,
            PaymentStore store,
            MeterRegistry registry,
            OrderServiceChannel channel,
            @ConfigProperty(
                            name = "scanorder.payment.order-notices.interval",
                            defaultValue = "PT1S")
                    Duration interval,
            @ConfigProperty(
                            name = "scanorder.payment.order-notices.initial-backoff",
                            defaultValue = "PT1S")
                    Duration initialBackoff,
            @ConfigProperty(
                            name = "scanorder.payment.order-notices.max-backoff",
                            defaultValue = "PT5M")
                    Duration maxBackoff,
            @ConfigProperty(
                            name = "scanorder.payment.order-notices.call-timeout",
                            defaultValue = "PT5S")
                    Duration callTimeout,
            @ConfigProperty(
                            name = "scanorder.payment.order-notices.batch-size",
                            defaultValue = "50")
                    int batchSize) {
        this.notices = notices;
        this.payments = payments;
        this.store = store;
        this.channel = channel;
        this.interval = interval;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.callTimeout = callTimeout;
        // A claim outlives a slow call and a refund, so two replicas never work one notice at once.
        this.lease = callTimeout.multipliedBy(6);
        this.batchSize = batchSize;
        for (Result r : Result.values()) {
            results.put(
                    r,
                    Counter.builder("scanorder.payment.order.notices")
                            .description(
                                    "Attempts to tell the order service about a recorded payment,"
                                            + " by outcome")
                            .tag("result", r.name().toLowerCase(Locale.ROOT))
                            .register(registry));
            refundResults.put(
                    r,
                    Counter.builder("scanorder.payment.refund.notices")
                            .description(
                                    "Attempts to tell the order service about a refund outcome,"
                                            + " by outcome")
                            .tag("result", r.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
        Gauge.builder("scanorder.payment.refund.notices.pending", refundBacklog, AtomicLong::get)
                .description("Refund outcomes the order service has not acknowledged yet")
                .register(registry);
        Gauge.builder("scanorder.payment.order.notices.pending", backlog, AtomicLong::get)
                .description("Recorded payments the order service has not acknowledged yet")
                .register(registry);
        Gauge.builder(
                        "scanorder.payment.order.notices.oldest.pending.seconds",
                        oldestSeconds,
                        AtomicLong::get)
                .description("Age of the oldest payment the order service has not acknowledged")
                .register(registry);
    }

    void start(@Observes StartupEvent event) {
        ScheduledThreadPoolExecutor pool =
                new ScheduledThreadPoolExecutor(
                        1,
                        r -> {
                            Thread t = new Thread(r, "order-notifier");
                            t.setDaemon(true);
                            return t;
                        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor = pool;
        // Also picks up notices left by a previous run of this service (or another replica).
        executor.scheduleWithFixedDelay(
                this::deliverDueSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** Asks for a delivery round now (a payment was just recorded) instead of at the next tick. */
    public void wake() {
        ScheduledExecutorService e = executor;
        if (e != null && !e.isShutdown()) {
            try {
                e.execute(this::deliverDueSafely);
            } catch (java.util.concurrent.RejectedExecutionException ignored) {
                // Shutting down: the notice stays in the database for the next start.
            }
        }
    }

    private void deliverDueSafely() {
        try {
            deliverDue();
        } catch (RuntimeException e) {
            // The database may be down: the next tick tries again; the work is not lost.
            LOG.warnf("order notice round failed: %s", e.getMessage());
        }
    }

    /** One round: works off every due notice. Runs on the single notifier thread. */
    void deliverDue() {
        List<OrderNotice> due;
        do {
            due = notices.claimDue(batchSize, lease);
            for (OrderNotice n : due) {
                if (n.status() == OrderNotice.Status.PENDING) {
                    deliver(n);
                } else {
                    refund(n, null);
                }
            }
        } while (due.size() == batchSize);
        // After the payments, so a refund's payment is usually delivered in the same round.
        List<RefundNotice> refunds;
        do {
            refunds = notices.claimDueRefunds(batchSize, lease);
            for (RefundNotice n : refunds) {
                deliverRefund(n);
            }
        } while (refunds.size() == batchSize);
        OrderNoticeStore.Backlog b = notices.backlog();
        backlog.set(b.count());
        oldestSeconds.set(b.oldestSeconds());
        refundBacklog.set(notices.refundBacklog().count());
    }

    /** Tells the order service about one refund outcome (OrderPayments.RecordRefund). */
    private void deliverRefund(RefundNotice n) {
        String transactionId =
                store.find(n.outTradeNo()).map(PaymentRecord::transactionId).orElse(null);
        if (transactionId == null) {
            // The payment's own report has not arrived yet: the refund waits for it.
            retryRefundLater(n, "payment " + n.outTradeNo() + " has no transaction id yet");
            return;
        }
        RecordRefundRequest.Builder request =
                RecordRefundRequest.newBuilder()
                        .setOrderId(n.orderId())
                        .setOutTradeNo(n.outTradeNo())
                        .setOutRefundNo(n.outRefundNo())
                        .setStoreCode(n.storeCode())
                        .setRefundFen(n.refundFen())
                        .setTransactionId(transactionId)
                        .setOutcome(
                                n.outcome() == RefundState.SUCCESS
                                        ? RefundOutcome.REFUND_OUTCOME_SUCCESS
                                        : RefundOutcome.REFUND_OUTCOME_CLOSED);
        if (n.refundId() != null) {
            request.setRefundId(n.refundId());
        }
        if (n.succeededAt() != null) {
            request.setSucceededAt(
                    Timestamp.newBuilder()
                            .setSeconds(n.succeededAt().getEpochSecond())
                            .setNanos(n.succeededAt().getNano()));
        }
        try {
            var answer =
                    OrderPaymentsGrpc.newBlockingStub(channel.get())
                            .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                            .recordRefund(request.build());
            notices.moveRefund(n.outRefundNo(), RefundNotice.Status.DELIVERED, null, null);
            refundResults.get(Result.DELIVERED).increment();
            LOG.infof(
                    "order %s learned of refund %s (%s; order %s, new=%s)",
                    n.orderId(),
                    n.outRefundNo(),
                    n.outcome(),
                    answer.getOrderState(),
                    answer.getNewlyRecorded());
        } catch (StatusRuntimeException e) {
            io.grpc.Status.Code code = e.getStatus().getCode();
            String why = code + ": " + e.getStatus().getDescription();
            switch (code) {
                case FAILED_PRECONDITION,
                        INVALID_ARGUMENT,
                        NOT_FOUND,
                        PERMISSION_DENIED,
                        UNIMPLEMENTED -> {
                    LOG.errorf(
                            "refund %s of order %s cannot be recorded by the order service (%s);"
                                    + " staff must check the order's refunds by hand",
                            n.outRefundNo(), n.orderId(), why);
                    notices.moveRefund(n.outRefundNo(), RefundNotice.Status.FAILED, null, why);
                    refundResults.get(Result.FAILED).increment();
                }
                default -> retryRefundLater(n, why);
            }
        }
    }

    private void retryRefundLater(RefundNotice n, String why) {
        if (why.startsWith("UNAVAILABLE")) {
            channel.reconnectSoon();
        }
        Duration delay = backoff(n.attempts() + 1);
        notices.moveRefund(
                n.outRefundNo(), RefundNotice.Status.PENDING, Instant.now().plus(delay), why);
        refundResults.get(Result.RETRY).increment();
        LOG.warnf(
                "could not tell the order service at %s about refund %s (attempt %d: %s);"
                        + " retrying in %d ms",
                channel.address(), n.outRefundNo(), n.attempts() + 1, why, delay.toMillis());
    }

    private void deliver(OrderNotice n) {
        RecordPaymentRequest request =
                RecordPaymentRequest.newBuilder()
                        .setOrderId(n.orderId())
                        .setOutTradeNo(n.outTradeNo())
                        .setStoreCode(n.storeCode())
                        .setPaidFen(n.paidFen())
                        .setTransactionId(n.transactionId())
                        .setPaidAt(
                                Timestamp.newBuilder()
                                        .setSeconds(n.paidAt().getEpochSecond())
                                        .setNanos(n.paidAt().getNano()))
                        .build();
        try {
            var answer =
                    OrderPaymentsGrpc.newBlockingStub(channel.get())
                            .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                            .recordPayment(request);
            notices.move(
                    n.outTradeNo(),
                    OrderNotice.Status.PENDING,
                    OrderNotice.Status.DELIVERED,
                    null,
                    null);
            count(Result.DELIVERED);
            LOG.infof(
                    "order %s learned of payment %s (state %s, new=%s)",
                    n.orderId(), n.outTradeNo(), answer.getOrderState(), answer.getNewlyRecorded());
        } catch (StatusRuntimeException e) {
            io.grpc.Status.Code code = e.getStatus().getCode();
            String why = code + ": " + e.getStatus().getDescription();
            switch (code) {
                case FAILED_PRECONDITION -> {
                    LOG.warnf(
                            "order service refused payment %s of order %s (%s); refunding it",
                            n.outTradeNo(), n.orderId(), why);
                    count(Result.REFUSED);
                    if (notices.move(
                            n.outTradeNo(),
                            OrderNotice.Status.PENDING,
                            OrderNotice.Status.REFUNDING,
                            null,
                            why)) {
                        refund(n, why);
                    }
                }
                case INVALID_ARGUMENT, NOT_FOUND, PERMISSION_DENIED, UNIMPLEMENTED -> {
                    // Retrying cannot help; the money is held and staff must decide.
                    LOG.errorf(
                            "payment %s of order %s cannot be recorded by the order service (%s);"
                                    + " staff must check the order and refund or record it by"
                                    + " hand",
                            n.outTradeNo(), n.orderId(), why);
                    notices.move(
                            n.outTradeNo(),
                            OrderNotice.Status.PENDING,
                            OrderNotice.Status.FAILED,
                            null,
                            why);
                    count(Result.FAILED);
                }
                default -> retryLater(n, OrderNotice.Status.PENDING, why);
            }
        }
    }

    private void refund(OrderNotice n, String refusal) {
        try {
            OutTradeNo trade = OutTradeNo.parse(n.outTradeNo());
            RefundRecord r =
                    payments.refundRefusedPayment(
                            new Payments.RefundCommand(
                                    n.storeCode(),
                                    n.outTradeNo(),
                                    autoRefundNo(trade).value(),
                                    n.paidFen(),
                                    n.paidFen(),
                                    AUTO_REFUND_REASON));
            notices.move(
                    n.outTradeNo(),
                    OrderNotice.Status.REFUNDING,
                    OrderNotice.Status.REFUNDED,
                    null,
                    refusal != null ? refusal : n.lastError());
            count(Result.REFUNDED);
            LOG.infof(
                    "refunded payment %s of order %s as %s (%s)",
                    n.outTradeNo(), n.orderId(), r.outRefundNo(), r.state());
        } catch (PaymentException e) {
            if (e.reason() == PaymentException.Reason.UNAVAILABLE
                    || e.reason() == PaymentException.Reason.INTERNAL) {
                retryLater(n, OrderNotice.Status.REFUNDING, "refund: " + e.getMessage());
            } else {
                LOG.errorf(
                        "automatic refund of payment %s (order %s) refused: %s; staff must refund"
                                + " it by hand",
                        n.outTradeNo(), n.orderId(), e.getMessage());
                notices.move(
                        n.outTradeNo(),
                        OrderNotice.Status.REFUNDING,
                        OrderNotice.Status.FAILED,
                        null,
                        "refund: " + e.getMessage());
                count(Result.FAILED);
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            notices.move(
                    n.outTradeNo(),
                    OrderNotice.Status.REFUNDING,
                    OrderNotice.Status.FAILED,
                    null,
                    "refund: " + e.getMessage());
            count(Result.FAILED);
        }
    }

    /**
     * The out_refund_no of the automatic full refund of one payment attempt. Staff refunds of an
     * order count up from _R1; automatic ones take the top numbers, one per attempt (attempt 1 ->
     * _R50, attempt 2 -> _R49 ...), so the two never collide in practice and a retried refund
     * reuses its number (WeChat then refunds it only once).
     */
    static OutRefundNo autoRefundNo(OutTradeNo trade) {
        int sequence = OutRefundNo.MAX_SEQUENCE + 1 - trade.attempt();
        if (sequence < 26) {
            throw new IllegalStateException(
                    "payment attempt "
                            + trade.attempt()
                            + " of order "
                            + trade.orderId()
                            + " has no automatic refund number left");
        }
        return new OutRefundNo(trade.orderId(), sequence);
    }

    private void retryLater(OrderNotice n, OrderNotice.Status status, String why) {
        if (why.startsWith("UNAVAILABLE")) {
            // Reconnect on the next attempt instead of after gRPC's own (up to 2 min) backoff.
            channel.reconnectSoon();
        }
        Duration delay = backoff(n.attempts() + 1);
        notices.move(n.outTradeNo(), status, status, Instant.now().plus(delay), why);
        count(Result.RETRY);
        LOG.warnf(
                "could not tell the order service at %s about payment %s (attempt %d: %s);"
                        + " retrying in %d ms",
                channel.address(), n.outTradeNo(), n.attempts() + 1, why, delay.toMillis());
    }

    /** Exponential backoff with full jitter in its upper half, capped at the maximum. */
    Duration backoff(int attempt) {
        long base = initialBackoff.toMillis();
        long cap = maxBackoff.toMillis();
        long exp = attempt >= 30 ? cap : Math.min(cap, base << Math.max(0, attempt - 1));
        return Duration.ofMillis(exp / 2 + ThreadLocalRandom.current().nextLong(exp / 2 + 1));
    }

    private void count(Result r) {
        results.get(r).increment();
    }
}
