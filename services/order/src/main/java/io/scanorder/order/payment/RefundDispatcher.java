package io.scanorder.order.payment;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.MoveResult;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.proto.payment.v1.RefundGoods;
import io.scanorder.proto.payment.v1.RefundRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Sends approved (PROCESSING) refunds to the payment service's Refund so money moves, to the
 * payment attempt RecordPayment stored as the paying one, with the refunded order lines as goods
 * for a single-item refund. Each refund is claimed with a lease ({@code refunds.next_dispatch_at})
 * so one replica sends it at a time, and is stamped {@code requested_at_payment} once the payment
 * service accepted it, so it is sent once; a lost answer only repeats a call that Refund
 * deduplicates by out_refund_no. While the payment service does not answer the refund is retried
 * with doubling back-off; a refusal marks it FAILED with the reason. The outcome arrives later
 * through OrderPayments.RecordRefund.
 */
@ApplicationScoped
public class RefundDispatcher {
    private static final Logger LOG = Logger.getLogger(RefundDispatcher.class);
    private static final int BATCH = 20;
    private static final int MAX_REASON = 80;
    static final String DISPATCHED = "scanorder.refund.dispatch";
    static final String WAITING = "scanorder.refund.dispatch.waiting";

    /** Codes by which the payment service refuses a refund for good (retrying cannot help). */
    private static final Set<Status.Code> REFUSALS =
            Set.of(
                    Status.Code.FAILED_PRECONDITION,
                    Status.Code.INVALID_ARGUMENT,
                    Status.Code.OUT_OF_RANGE,
                    Status.Code.ALREADY_EXISTS,
                    Status.Code.NOT_FOUND);

    private final Transactions transactions;
    private final PaymentClient payments;
    private final RefundRecorder recorder;
    private final OrderTransitions transitions;
    private final Duration pollInterval;
    private final Duration retryInitial;
    private final Duration retryMax;
    private final Duration lease;
    private final boolean enabled;
    private final MeterRegistry registry;
    private ScheduledExecutorService scheduler;

    /**
     * One claimed refund and what Refund needs of its order.
     *
     * @param paidOutTradeNo out_trade_no of the paying attempt as RecordPayment stored it; null for
     *     orders paid before it was stored (Flyway V11)
     * @param goods the refunded items of a single-item refund; empty for a refund of an amount
     */
    record Claimed(
            UUID refundId,
            UUID orderId,
            String storeCode,
            String outRefundNo,
            long refundFen,
            String reason,
            int attempts,
            String paidBy,
            String paidOutTradeNo,
            long paidFen,
            List<RefundGoods> goods) {}

    @Inject
    public RefundDispatcher(
            Transactions transactions,
            PaymentClient payments,
            RefundRecorder recorder,
            OrderTransitions transitions,
            @ConfigProperty(
                            name = "scanorder.payment.refund-dispatch.poll-interval",
                            defaultValue = "PT2S")
                    Duration pollInterval,
            @ConfigProperty(
                            name = "scanorder.payment.refund-dispatch.retry-initial",
                            defaultValue = "PT5S")
                    Duration retryInitial,
            @ConfigProperty(
                            name = "scanorder.payment.refund-dispatch.retry-max",
                            defaultValue = "PT5M")
                    Duration retryMax,
            @ConfigProperty(name = "scanorder.payment.refund-dispatch.lease", defaultValue = "PT1M")
                    Duration lease,
            @ConfigProperty(
                            name = "scanorder.payment.refund-dispatch.enabled",
                            defaultValue = "true")
                    boolean enabled,
            MeterRegistry registry) {
        this.transactions = transactions;
        this.payments = payments;
        this.recorder = recorder;
        this.transitions = transitions;
        this.pollInterval = pollInterval;
        this.retryInitial = retryInitial;
        this.retryMax = retryMax;
        this.lease = lease;
        this.enabled = enabled;
        this.registry = registry;
        // the global registry outlives an application restart in the same JVM (tests)
        registry.find(WAITING).gauges().forEach(registry::remove);
        Gauge.builder(WAITING, this, RefundDispatcher::waiting)
                .description(
                        "Approved refunds not yet accepted by the payment service, re-counted"
                                + " from the database")
                .strongReference(true)
                .register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info(
                    "refund dispatch disabled (scanorder.payment.refund-dispatch.enabled=false):"
                            + " approved refunds are not sent to the payment service");
            return;
        }
        scheduler =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread t = new Thread(r, "refund-dispatch");
                            t.setDaemon(true);
                            return t;
                        });
        long ms = pollInterval.toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        dispatchDue();
                    } catch (RuntimeException e) {
                        // a thrown exception would cancel the schedule for good
                        LOG.warnf("refund dispatch failed, retrying next tick: %s", e.getMessage());
                    }
                },
                ms,
                ms,
                TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }

    /** Sends every due refund this call manages to claim; returns how many the payment accepted. */
    public int dispatchDue() {
        List<UUID> due = transactions.inTransaction("refund-dispatch-due", this::due);
        int accepted = 0;
        for (UUID refundId : due) {
            Claimed claimed =
                    transactions.inTransaction("refund-dispatch-claim", c -> claim(c, refundId));
            if (claimed != null && send(claimed)) {
                accepted++;
            }
        }
        return accepted;
    }

    private List<UUID> due(Connection c) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT refund_id FROM refunds WHERE state = 'PROCESSING'"
                                + " AND requested_at_payment IS NULL"
                                + " AND out_refund_no IS NOT NULL"
                                + " AND (next_dispatch_at IS NULL OR next_dispatch_at <= ?)"
                                + " ORDER BY requested_at, refund_id LIMIT "
                                + BATCH)) {
            ps.setTimestamp(1, Timestamp.from(Instant.now()));
            List<UUID> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getObject(1, UUID.class));
                }
            }
            return ids;
        }
    }

    /** Takes the lease on one due refund; null when another dispatcher has it or it is done. */
    private Claimed claim(Connection c, UUID refundId) throws SQLException {
        Instant now = Instant.now();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE refunds SET next_dispatch_at = ?,"
                                + " dispatch_attempts = dispatch_attempts + 1"
                                + " WHERE refund_id = ? AND state = 'PROCESSING'"
                                + " AND requested_at_payment IS NULL"
                                + " AND out_refund_no IS NOT NULL"
                                + " AND (next_dispatch_at IS NULL OR next_dispatch_at <= ?)")) {
            ps.setTimestamp(1, Timestamp.from(now.plus(lease)));
            ps.setObject(2, refundId);
            ps.setTimestamp(3, Timestamp.from(now));
            if (ps.executeUpdate() != 1) {
                return null;
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT r.order_id, s.store_code, r.out_refund_no, r.refund_fen,"
                                + " r.reason, r.dispatch_attempts,"
                                + " (SELECT e.actor_id FROM order_events e"
                                + " WHERE e.order_id = o.order_id"
                                + " AND e.to_state = 'PAID' AND e.actor_kind = 'PAYMENT'"
                                + " ORDER BY e.occurred_at LIMIT 1),"
                                + " o.paid_out_trade_no, o.paid_fen"
                                + " FROM refunds r JOIN orders o ON o.order_id = r.order_id"
                                + " JOIN stores s ON s.store_id = o.store_id"
                                + " WHERE r.refund_id = ?")) {
            ps.setObject(1, refundId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new Claimed(
                        refundId,
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getLong(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getString(7),
                        rs.getString(8),
                        rs.getLong(9),
                        goods(c, refundId));
            }
        }
    }

    /**
     * The refund's order lines as WeChat Pay goods: merchant_goods_id is the line's SKU code, the
     * unit price its price snapshot. Lines of the same SKU and price are sent as one item, since
     * WeChat Pay knows an item by its id.
     */
    private static List<RefundGoods> goods(Connection c, UUID refundId) throws SQLException {
        Map<String, RefundGoods.Builder> items = new LinkedHashMap<>();
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT l.sku_code, l.name, l.unit_price_fen, rl.quantity, rl.refund_fen"
                                + " FROM refund_lines rl JOIN order_lines l"
                                + " ON l.line_id = rl.order_line_id"
                                + " WHERE rl.refund_id = ? ORDER BY l.line_no")) {
            ps.setObject(1, refundId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String sku = rs.getString(1);
                    long unitPrice = rs.getLong(3);
                    RefundGoods.Builder item =
                            items.computeIfAbsent(
                                    sku + "@" + unitPrice,
                                    k ->
                                            RefundGoods.newBuilder()
                                                    .setMerchantGoodsId(sku)
                                                    .setUnitPriceFen(unitPrice));
                    if (item.getGoodsName().isEmpty()) {
                        item.setGoodsName(rs.getString(2));
                    }
                    item.setRefundQuantity(item.getRefundQuantity() + rs.getInt(4));
                    item.setRefundFen(item.getRefundFen() + rs.getLong(5));
                }
            }
        }
        return items.values().stream().map(RefundGoods.Builder::build).toList();
    }

    /** Approved refunds the payment service has not accepted yet (the gauge {@value #WAITING}). */
    double waiting() {
        try {
            return transactions.inTransaction(
                    "refund-dispatch-waiting",
                    c -> {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "SELECT count(*) FROM refunds WHERE state = 'PROCESSING'"
                                                + " AND requested_at_payment IS NULL")) {
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                return (double) rs.getLong(1);
                            }
                        }
                    });
        } catch (RuntimeException e) {
            // the database is down: say "unknown" rather than a reassuring 0
            return Double.NaN;
        }
    }

    private void count(String outcome) {
        Counter.builder(DISPATCHED)
                .description(
                        "Attempts to send an approved refund to the payment service, by outcome:"
                                + " sent (accepted), refused (marked FAILED), retry")
                .tag("outcome", outcome)
                .register(registry)
                .increment();
    }

    private boolean send(Claimed r) {
        String transactionId =
                r.paidBy() != null && r.paidBy().startsWith(PaymentRecorder.ACTOR_PREFIX)
                        ? r.paidBy().substring(PaymentRecorder.ACTOR_PREFIX.length())
                        : null;
        if (transactionId == null) {
            fail(r, "order " + r.orderId() + " has no WeChat Pay payment to refund");
            count("refused");
            return false;
        }
        try {
            String outTradeNo;
            long totalFen;
            if (r.paidOutTradeNo() != null) {
                // RecordPayment stored the paying attempt (Flyway V11 on): refund it directly.
                outTradeNo = r.paidOutTradeNo();
                totalFen = r.paidFen();
            } else {
                // Fallback ONLY for orders paid before V11, whose paying attempt was not stored:
                // find it by asking the payment service about each attempt in turn.
                Payment paid = findPayment(r, transactionId);
                if (paid == null) {
                    fail(
                            r,
                            "no payment attempt of order "
                                    + r.orderId()
                                    + " at the payment service has transaction "
                                    + transactionId);
                    count("refused");
                    return false;
                }
                outTradeNo = paid.getOutTradeNo();
                totalFen = paid.getAmountFen();
            }
            payments.refund(
                    RefundRequest.newBuilder()
                            .setStoreCode(r.storeCode())
                            .setOutTradeNo(outTradeNo)
                            .setOutRefundNo(r.outRefundNo())
                            .setRefundFen(r.refundFen())
                            .setTotalFen(totalFen)
                            .setReason(shorten(r.reason()))
                            .addAllGoods(r.goods())
                            .build());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            String detail = code + ": " + e.getStatus().getDescription();
            if (REFUSALS.contains(code)) {
                fail(r, "the payment service refused it (" + detail + ")");
                count("refused");
                return false;
            }
            Duration wait = backoff(r.attempts());
            retryLater(r, wait);
            count("retry");
            LOG.warnf(
                    "refund %s of order %s not sent: the payment service at %s did not take it"
                            + " (%s); retrying in %s",
                    r.outRefundNo(), r.orderId(), payments.address(), detail, wait);
            return false;
        }
        transactions.inTransaction(
                "refund-dispatch-sent",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE refunds SET requested_at_payment = ?,"
                                            + " next_dispatch_at = NULL WHERE refund_id = ?")) {
                        ps.setTimestamp(1, Timestamp.from(Instant.now()));
                        ps.setObject(2, r.refundId());
                        return ps.executeUpdate();
                    }
                });
        count("sent");
        LOG.infof(
                "refund %s of order %s (%d fen%s) sent to the payment service",
                r.outRefundNo(),
                r.orderId(),
                r.refundFen(),
                r.goods().isEmpty() ? "" : ", " + r.goods().size() + " item(s)");
        return true;
    }

    /**
     * The payment attempt paid by the order's paying transaction, for orders paid before Flyway V11
     * stored it: attempts are numbered from 1 without gaps, so the search stops at the first one
     * the payment service does not know.
     */
    private Payment findPayment(Claimed r, String transactionId) {
        for (int attempt = 1; attempt <= PaymentStarter.MAX_TRIES; attempt++) {
            Payment p;
            try {
                p =
                        payments.queryPayment(
                                QueryPaymentRequest.newBuilder()
                                        .setStoreCode(r.storeCode())
                                        .setOutTradeNo(
                                                TradeNumbers.outTradeNo(r.orderId(), attempt))
                                        .build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
                    return null;
                }
                throw e;
            }
            if (transactionId.equals(p.getTransactionId())) {
                return p;
            }
        }
        return null;
    }

    private Duration backoff(int attempts) {
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration wait = retryInitial.multipliedBy(factor);
        return wait.compareTo(retryMax) > 0 ? retryMax : wait;
    }

    private void retryLater(Claimed r, Duration wait) {
        transactions.inTransaction(
                "refund-dispatch-retry",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE refunds SET next_dispatch_at = ? WHERE refund_id = ?"
                                            + " AND requested_at_payment IS NULL")) {
                        ps.setTimestamp(1, Timestamp.from(Instant.now().plus(wait)));
                        ps.setObject(2, r.refundId());
                        return ps.executeUpdate();
                    }
                });
    }

    /**
     * Marks a refund the payment service refused for good FAILED and, in the same transaction,
     * moves its order on as a refund WeChat closed without paying out would ({@link
     * RefundRecorder#afterUnpaid}): a REFUNDING order whose last refund this was ends
     * PARTIALLY_REFUNDED when part was refunded before.
     */
    private void fail(Claimed r, String why) {
        LOG.errorf(
                "refund %s of order %s (%d fen, store %s) FAILED and no money was moved: %s."
                        + " Check the payment in the WeChat Pay merchant platform; to refund after"
                        + " all, staff call RequestRefund as STAFF for the order again",
                r.outRefundNo(), r.orderId(), r.refundFen(), r.storeCode(), why);
        MoveResult move =
                transactions.inTransaction(
                        "refund-dispatch-failed",
                        c -> {
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "UPDATE refunds SET state = 'FAILED',"
                                                    + " failure_reason = ?, next_dispatch_at = NULL"
                                                    + " WHERE refund_id = ? AND state ="
                                                    + " 'PROCESSING'")) {
                                ps.setString(1, why);
                                ps.setObject(2, r.refundId());
                                if (ps.executeUpdate() != 1) {
                                    return null;
                                }
                            }
                            return recorder.afterUnpaid(
                                    c,
                                    r.orderId(),
                                    r.outRefundNo(),
                                    r.refundFen(),
                                    new Actor(
                                            ActorKind.PAYMENT,
                                            "payment-service-refusal:" + r.outRefundNo()),
                                    "was refused by the payment service");
                        });
        if (move != null) {
            transitions.afterCommit(move);
        }
    }

    private static String shorten(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() <= MAX_REASON) {
            return reason;
        }
        // WeChat shows at most 80 characters; never cut a surrogate pair in half.
        int end =
                Character.isHighSurrogate(reason.charAt(MAX_REASON - 1))
                        ? MAX_REASON - 1
                        : MAX_REASON;
        return reason.substring(0, end);
    }
}
