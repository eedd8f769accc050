package io.scanorder.payment.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The payment service's outbox to the order service, two kinds of notice: {@code order_notices}
 * (payments, inserted by {@link PaymentStore#apply}) and {@code refund_notices} (refund outcomes,
 * inserted by {@link PaymentStore#applyRefund}), worked off here. Work is claimed by pushing {@code
 * next_attempt_at} forward by a lease in one statement, so with several replicas each due notice is
 * worked by one of them at a time, and a replica that dies mid-delivery leaves the notice due again
 * once its lease ends.
 */
@ApplicationScoped
public class OrderNoticeStore {
    private static final String COLUMNS =
            "out_trade_no, order_id, store_code, paid_fen, transaction_id, paid_at, status,"
                    + " attempts, last_error";

    private final PaymentStore db;
    private final Clock clock = Clock.systemUTC();

    OrderNoticeStore(PaymentStore db) {
        this.db = db;
    }

    /** Claims up to {@code limit} notices due now (PENDING or REFUNDING) for {@code lease}. */
    public List<OrderNotice> claimDue(int limit, Duration lease) {
        Instant now = clock.instant();
        return db.list(
                "UPDATE order_notices SET next_attempt_at = ?, updated_at = ?"
                        + " WHERE out_trade_no IN (SELECT out_trade_no FROM order_notices"
                        + " WHERE status IN ('PENDING', 'REFUNDING') AND next_attempt_at <= ?"
                        + " ORDER BY next_attempt_at LIMIT ?)"
                        + " AND status IN ('PENDING', 'REFUNDING') AND next_attempt_at <= ?"
                        + " RETURNING "
                        + COLUMNS,
                ps -> {
                    PaymentStore.setInstant(ps, 1, now.plus(lease));
                    PaymentStore.setInstant(ps, 2, now);
                    PaymentStore.setInstant(ps, 3, now);
                    ps.setInt(4, limit);
                    PaymentStore.setInstant(ps, 5, now);
                },
                this::read);
    }

    public Optional<OrderNotice> find(String outTradeNo) {
        return db.query(
                "SELECT " + COLUMNS + " FROM order_notices WHERE out_trade_no = ?",
                ps -> ps.setString(1, outTradeNo),
                this::read);
    }

    /**
     * Moves a notice to {@code status} (counting the attempt), due again at {@code nextAttemptAt}.
     * Only a notice still in {@code from} moves, so a late worker cannot undo a newer outcome.
     */
    public boolean move(
            String outTradeNo,
            OrderNotice.Status from,
            OrderNotice.Status status,
            Instant nextAttemptAt,
            String error) {
        Instant now = clock.instant();
        return db.update(
                        "UPDATE order_notices SET status = ?, attempts = attempts + 1,"
                                + " next_attempt_at = ?, last_error = ?, updated_at = ?"
                                + " WHERE out_trade_no = ? AND status = ?",
                        ps -> {
                            ps.setString(1, status.name());
                            PaymentStore.setInstant(
                                    ps, 2, nextAttemptAt == null ? now : nextAttemptAt);
                            ps.setString(3, error == null ? null : truncate(error));
                            PaymentStore.setInstant(ps, 4, now);
                            ps.setString(5, outTradeNo);
                            ps.setString(6, from.name());
                        })
                == 1;
    }

    /** Notices not yet settled (PENDING or REFUNDING), and the age of the oldest in seconds. */
    public record Backlog(long count, long oldestSeconds) {}

    public Backlog backlog() {
        Instant now = clock.instant();
        return db.query(
                        "SELECT count(*), min(created_at) FROM order_notices"
                                + " WHERE status IN ('PENDING', 'REFUNDING')",
                        ps -> {},
                        rs -> {
                            Instant oldest = PaymentStore.instant(rs, 2);
                            return new Backlog(
                                    rs.getLong(1),
                                    oldest == null
                                            ? 0
                                            : Math.max(
                                                    0, Duration.between(oldest, now).toSeconds()));
                        })
                .orElse(new Backlog(0, 0));
    }

    // --- refund notices ---------------------------------------------------------------------

    private static final String REFUND_COLUMNS =
            "out_refund_no, out_trade_no, order_id, store_code, refund_fen, refund_id, outcome,"
                    + " succeeded_at, status, attempts, last_error";

    /**
     * Claims up to {@code limit} refund notices due now for {@code lease}. A refund notice waits
     * while its payment's order notice is still PENDING, so the order service learns of a payment
     * before its refund (a refund notification can overtake the payment's).
     */
    public List<RefundNotice> claimDueRefunds(int limit, Duration lease) {
        Instant now = clock.instant();
        String due =
                "status = 'PENDING' AND next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM"
                        + " order_notices o WHERE o.out_trade_no = refund_notices.out_trade_no"
                        + " AND o.status = 'PENDING')";
        return db.list(
                "UPDATE refund_notices SET next_attempt_at = ?, updated_at = ?"
                        + " WHERE out_refund_no IN (SELECT out_refund_no FROM refund_notices"
                        + " WHERE "
                        + due
                        + " ORDER BY next_attempt_at LIMIT ?) AND "
                        + due
                        + " RETURNING "
                        + REFUND_COLUMNS,
                ps -> {
                    PaymentStore.setInstant(ps, 1, now.plus(lease));
                    PaymentStore.setInstant(ps, 2, now);
                    PaymentStore.setInstant(ps, 3, now);
                    ps.setInt(4, limit);
                    PaymentStore.setInstant(ps, 5, now);
                },
                OrderNoticeStore::readRefund);
    }

    public Optional<RefundNotice> findRefund(String outRefundNo) {
        return db.query(
                "SELECT " + REFUND_COLUMNS + " FROM refund_notices WHERE out_refund_no = ?",
                ps -> ps.setString(1, outRefundNo),
                OrderNoticeStore::readRefund);
    }

    /** Moves a PENDING refund notice to {@code status}, due again at {@code nextAttemptAt}. */
    public boolean moveRefund(
            String outRefundNo, RefundNotice.Status status, Instant nextAttemptAt, String error) {
        Instant now = clock.instant();
        return db.update(
                        "UPDATE refund_notices SET status = ?, attempts = attempts + 1,"
                                + " next_attempt_at = ?, last_error = ?, updated_at = ?"
                                + " WHERE out_refund_no = ? AND status = 'PENDING'",
                        ps -> {
                            ps.setString(1, status.name());
                            PaymentStore.setInstant(
                                    ps, 2, nextAttemptAt == null ? now : nextAttemptAt);
                            ps.setString(3, error == null ? null : truncate(error));
                            PaymentStore.setInstant(ps, 4, now);
                            ps.setString(5, outRefundNo);
                        })
                == 1;
    }

    /** Refund notices not yet delivered, and the age of the oldest in seconds. */
    public Backlog refundBacklog() {
        Instant now = clock.instant();
        return db.query(
                        "SELECT count(*), min(created_at) FROM refund_notices"
                                + " WHERE status = 'PENDING'",
                        ps -> {},
                        rs -> {
                            Instant oldest = PaymentStore.instant(rs, 2);
                            return new Backlog(
                                    rs.getLong(1),
                                    oldest == null
                                            ? 0
                                            : Math.max(
                                                    0, Duration.between(oldest, now).toSeconds()));
                        })
                .orElse(new Backlog(0, 0));
    }

    private static RefundNotice readRefund(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new RefundNotice(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getString(6),
                RefundState.valueOf(rs.getString(7)),
                PaymentStore.instant(rs, 8),
                RefundNotice.Status.valueOf(rs.getString(9)),
                rs.getInt(10),
                rs.getString(11));
    }

    private static String truncate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500);
    }

    private OrderNotice read(java.sql.ResultSet rs) throws java.sql.SQLException {
        String outTradeNo = rs.getString(1);
        return new OrderNotice(
                outTradeNo,
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                // A copy of the payment's ciphertext, bound to the payments row.
                db.cipher()
                        .decrypt(
                                PaymentStore.TRANSACTION_ID,
                                "payments/" + outTradeNo,
                                rs.getString(5)),
                PaymentStore.instant(rs, 6),
                OrderNotice.Status.valueOf(rs.getString(7)),
                rs.getInt(8),
                rs.getString(9));
    }
}
