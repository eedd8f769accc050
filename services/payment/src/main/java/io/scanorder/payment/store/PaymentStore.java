package io.scanorder.payment.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;

/**
 * Payments and refunds in the payment service's own database. Every write is a single statement
 * that is idempotent on its own (conditional insert, rank-guarded update or upsert), so no
 * multi-statement transaction is needed; each runs in autocommit, SERIALIZABLE like every
 * transaction on CockroachDB, and is re-run on SQLSTATE 40001.
 */
@ApplicationScoped
public class PaymentStore {
    private static final int MAX_ATTEMPTS = 6;

    private final DataSource dataSource;
    private final Clock clock = Clock.systemUTC();

    PaymentStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a new payment attempt; false when the out_trade_no is already known. */
    public boolean insertIfAbsent(PaymentRecord p) {
        Instant now = clock.instant();
        return update(
                        "INSERT INTO payments (out_trade_no, store_code, order_id, description,"
                                + " amount_fen, payer_openid, expires_at, prepay_id, state,"
                                + " state_rank, created_at, updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?)"
                                + " ON CONFLICT (out_trade_no) DO NOTHING",
                        ps -> {
                            ps.setString(1, p.outTradeNo());
                            ps.setString(2, p.storeCode());
                            ps.setString(3, p.orderId());
                            ps.setString(4, p.description());
                            ps.setLong(5, p.amountFen());
                            ps.setString(6, p.payerOpenid());
                            setInstant(ps, 7, p.expiresAt());
                            ps.setString(8, PaymentState.NOT_PAID.name());
                            ps.setInt(9, PaymentState.NOT_PAID.rank());
                            setInstant(ps, 10, now);
                            setInstant(ps, 11, now);
                        })
                == 1;
    }

    static final String PAYMENT_COLUMNS =
            "out_trade_no, store_code, order_id, description, amount_fen,"
                    + " payer_openid, expires_at, prepay_id, state, state_description,"
                    + " transaction_id, payer_total_fen, paid_at";

    public Optional<PaymentRecord> find(String outTradeNo) {
        return query(
                "SELECT " + PAYMENT_COLUMNS + " FROM payments WHERE out_trade_no = ?",
                ps -> ps.setString(1, outTradeNo),
                PaymentStore::readPayment);
    }

    /**
     * Payments still open (not paid, not closed) whose time to pay ended before {@code now}: their
     * {@code expires_at}, or creation plus {@code defaultTimeout} when they have none.
     */
    public List<PaymentRecord> findExpiredOpen(Instant now, Duration defaultTimeout, int limit) {
        return list(
                "SELECT "
                        + PAYMENT_COLUMNS
                        + " FROM payments WHERE state_rank < "
                        + PaymentState.CLOSED.rank()
                        + " AND COALESCE(expires_at, created_at + ? * INTERVAL '1 second') <= ?"
                        + " ORDER BY created_at LIMIT ?",
                ps -> {
                    ps.setLong(1, defaultTimeout.toSeconds());
                    setInstant(ps, 2, now);
                    ps.setInt(3, limit);
                },
                PaymentStore::readPayment);
    }

    static PaymentRecord readPayment(ResultSet rs) throws SQLException {
        return new PaymentRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                rs.getString(6),
                instant(rs, 7),
                rs.getString(8),
                PaymentState.valueOf(rs.getString(9)),
                rs.getString(10),
                rs.getString(11),
                (Long) rs.getObject(12, Long.class),
                instant(rs, 13));
    }

    public void setPrepayId(String outTradeNo, String prepayId) {
        update(
                "UPDATE payments SET prepay_id = ?, updated_at = ? WHERE out_trade_no = ?",
                ps -> {
                    ps.setString(1, prepayId);
                    setInstant(ps, 2, clock.instant());
                    ps.setString(3, outTradeNo);
                });
    }

    /**
     * Applies a report from WeChat: the state only moves to a higher rank, and payment details
     * (transaction id, payer total, time paid) are filled in once and never overwritten. When the
     * payment is paid afterwards, the same statement writes its {@code order_notices} row (once),
     * so the order service is told about every recorded payment even if this process dies right
     * after the commit.
     *
     * @return true if anything changed; false for a duplicate or an outdated report
     */
    public boolean apply(String outTradeNo, StateReport report) {
        int rank = report.state().rank();
        StringBuilder sql =
                new StringBuilder(
                        "WITH changed AS (UPDATE payments SET"
                                + " state = CASE WHEN state_rank < ? THEN ? ELSE state END,"
                                + " state_description = CASE WHEN state_rank < ? THEN ?"
                                + " ELSE state_description END,"
                                + " state_rank = CASE WHEN state_rank < ? THEN ? ELSE state_rank"
                                + " END,"
                                + " transaction_id = COALESCE(transaction_id, ?),"
                                + " payer_total_fen = COALESCE(payer_total_fen, ?),"
                                + " paid_at = COALESCE(paid_at, ?),"
                                + " updated_at = ?"
                                + " WHERE out_trade_no = ? AND (state_rank < ?");
        if (report.transactionId() != null) {
            sql.append(" OR transaction_id IS NULL");
        }
        sql.append(
                ") RETURNING out_trade_no, order_id, store_code, amount_fen, state_rank,"
                        + " transaction_id, paid_at),"
                        + " notice AS (INSERT INTO order_notices (out_trade_no, order_id,"
                        + " store_code, paid_fen, transaction_id, paid_at, status, attempts,"
                        + " next_attempt_at, created_at, updated_at)"
                        + " SELECT out_trade_no, order_id, store_code, amount_fen,"
                        + " transaction_id, COALESCE(paid_at, ?), 'PENDING', 0, ?, ?, ?"
                        + " FROM changed WHERE state_rank >= "
                        + PaymentState.SUCCESS.rank()
                        + " AND transaction_id IS NOT NULL"
                        + " ON CONFLICT (out_trade_no) DO NOTHING RETURNING out_trade_no)"
                        + " SELECT (SELECT count(*) FROM changed), (SELECT count(*) FROM notice)");
        Instant now = clock.instant();
        return query(
                                sql.toString(),
                                ps -> {
                                    ps.setInt(1, rank);
                                    ps.setString(2, report.state().name());
                                    ps.setInt(3, rank);
                                    ps.setString(4, report.stateDescription());
                                    ps.setInt(5, rank);
                                    ps.setInt(6, rank);
                                    ps.setString(7, report.transactionId());
                                    if (report.payerTotalFen() == null) {
                                        ps.setNull(8, Types.BIGINT);
                                    } else {
                                        ps.setLong(8, report.payerTotalFen());
                                    }
                                    setInstant(ps, 9, report.paidAt());
                                    setInstant(ps, 10, now);
                                    ps.setString(11, outTradeNo);
                                    ps.setInt(12, rank);
                                    for (int i = 13; i <= 16; i++) {
                                        setInstant(ps, i, now);
                                    }
                                },
                                rs -> rs.getLong(1))
                        .orElse(0L)
                > 0;
    }

    public Optional<RefundRecord> findRefund(String outRefundNo) {
        return query(
                "SELECT out_refund_no, out_trade_no, refund_fen, reason, refund_id, status,"
                        + " succeeded_at FROM refunds WHERE out_refund_no = ?",
                ps -> ps.setString(1, outRefundNo),
                rs ->
                        new RefundRecord(
                                rs.getString(1),
                                rs.getString(2),
                                rs.getLong(3),
                                rs.getString(4),
                                rs.getString(5),
                                RefundState.valueOf(rs.getString(6)),
                                instant(rs, 7)));
    }

    /** Fen of the payment refunded or being refunded (every refund not CLOSED). */
    public long refundedFen(String outTradeNo) {
        return query(
                        "SELECT COALESCE(SUM(refund_fen), 0) FROM refunds"
                                + " WHERE out_trade_no = ? AND status <> 'CLOSED'",
                        ps -> ps.setString(1, outTradeNo),
                        rs -> rs.getLong(1))
                .orElse(0L);
    }

    /**
     * Reserves a refund before WeChat is asked: inserted only if the refunds of the payment, this
     * one included, stay within the amount paid. Serializable isolation makes the check and the
     * insert one atomic step, so concurrent refunds can never add up to more than was paid.
     *
     * @return true if reserved; false if the out_refund_no exists or the amount does not fit
     */
    public boolean reserveRefund(RefundRecord r) {
        Instant now = clock.instant();
        return update(
                        "INSERT INTO refunds (out_refund_no, out_trade_no, refund_fen, reason,"
                                + " refund_id, status, status_rank, succeeded_at, created_at,"
                                + " updated_at)"
                                + " SELECT ?, ?, ?, ?, NULL, 'PROCESSING', 1, NULL, ?, ?"
                                + " WHERE (SELECT COALESCE(SUM(refund_fen), 0) FROM refunds"
                                + " WHERE out_trade_no = ? AND status <> 'CLOSED') + ?"
                                + " <= (SELECT amount_fen FROM payments WHERE out_trade_no = ?)"
                                + " ON CONFLICT (out_refund_no) DO NOTHING",
                        ps -> {
                            ps.setString(1, r.outRefundNo());
                            ps.setString(2, r.outTradeNo());
                            ps.setLong(3, r.refundFen());
                            ps.setString(4, r.reason());
                            setInstant(ps, 5, now);
                            setInstant(ps, 6, now);
                            ps.setString(7, r.outTradeNo());
                            ps.setLong(8, r.refundFen());
                            ps.setString(9, r.outTradeNo());
                        })
                == 1;
    }

    /** Drops a reservation WeChat refused, so its amount is refundable again. */
    public void releaseRefund(String outRefundNo) {
        update(
                "DELETE FROM refunds WHERE out_refund_no = ? AND refund_id IS NULL",
                ps -> ps.setString(1, outRefundNo));
    }

    /**
     * Records what WeChat said about a refund (answer, query or notification): inserts it if this
     * service has no row for it yet, else fills in the refund id and moves the state forward.
     *
     * @return true if anything changed
     */
    public boolean applyRefund(RefundRecord r) {
        Instant now = clock.instant();
        return update(
                        "INSERT INTO refunds (out_refund_no, out_trade_no, refund_fen, reason,"
                                + " refund_id, status, status_rank, succeeded_at, created_at,"
                                + " updated_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                + " ON CONFLICT (out_refund_no) DO UPDATE SET"
                                + " refund_id = COALESCE(refunds.refund_id, excluded.refund_id),"
                                + " status = CASE WHEN refunds.status_rank < excluded.status_rank"
                                + " THEN excluded.status ELSE refunds.status END,"
                                + " status_rank = CASE WHEN refunds.status_rank <"
                                + " excluded.status_rank THEN excluded.status_rank"
                                + " ELSE refunds.status_rank END,"
                                + " succeeded_at = COALESCE(refunds.succeeded_at,"
                                + " excluded.succeeded_at),"
                                + " updated_at = excluded.updated_at"
                                + " WHERE refunds.status_rank < excluded.status_rank"
                                + " OR (refunds.refund_id IS NULL AND excluded.refund_id IS NOT"
                                + " NULL)",
                        ps -> {
                            ps.setString(1, r.outRefundNo());
                            ps.setString(2, r.outTradeNo());
                            ps.setLong(3, r.refundFen());
                            ps.setString(4, r.reason());
                            ps.setString(5, r.refundId());
                            ps.setString(6, r.state().name());
                            ps.setInt(7, r.state().rank());
                            setInstant(ps, 8, r.succeededAt());
                            setInstant(ps, 9, now);
                            setInstant(ps, 10, now);
                        })
                > 0;
    }

    /** Remembers a notification id; false if it was seen before (a re-sent notification). */
    public boolean recordNotification(String id, String eventType, String subject) {
        return update(
                        "INSERT INTO notifications (notification_id, event_type, subject,"
                                + " received_at) VALUES (?, ?, ?, ?)"
                                + " ON CONFLICT (notification_id) DO NOTHING",
                        ps -> {
                            ps.setString(1, id);
                            ps.setString(2, eventType);
                            ps.setString(3, subject);
                            setInstant(ps, 4, clock.instant());
                        })
                == 1;
    }

    // --- JDBC plumbing --------------------------------------------------------------------

    /** Binds statement parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Reads one row. */
    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    int update(String sql, Binder binder) {
        return retrying(
                sql,
                () -> {
                    try (Connection c = dataSource.getConnection();
                            PreparedStatement ps = c.prepareStatement(sql)) {
                        c.setAutoCommit(true);
                        binder.bind(ps);
                        return ps.executeUpdate();
                    }
                });
    }

    <T> Optional<T> query(String sql, Binder binder, RowReader<T> reader) {
        return retrying(
                sql,
                () -> {
                    try (Connection c = dataSource.getConnection();
                            PreparedStatement ps = c.prepareStatement(sql)) {
                        c.setAutoCommit(true);
                        binder.bind(ps);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(reader.read(rs)) : Optional.empty();
                        }
                    }
                });
    }

    <T> List<T> list(String sql, Binder binder, RowReader<T> reader) {
        return retrying(
                sql,
                () -> {
                    try (Connection c = dataSource.getConnection();
                            PreparedStatement ps = c.prepareStatement(sql)) {
                        c.setAutoCommit(true);
                        binder.bind(ps);
                        try (ResultSet rs = ps.executeQuery()) {
                            List<T> rows = new ArrayList<>();
                            while (rs.next()) {
                                rows.add(reader.read(rs));
                            }
                            return rows;
                        }
                    }
                });
    }

    /** One JDBC call. */
    @FunctionalInterface
    private interface Call<T> {
        T run() throws SQLException;
    }

    /**
     * Re-runs a single statement on SQLSTATE 40001 (a serialization conflict with a concurrent
     * statement) with a short randomized pause, so conflicting writers do not collide again.
     */
    private static <T> T retrying(String sql, Call<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.run();
            } catch (SQLException e) {
                if (!"40001".equals(e.getSQLState()) || attempt == MAX_ATTEMPTS) {
                    throw new StoreException(
                            "database statement failed after "
                                    + attempt
                                    + " attempt(s), SQLSTATE "
                                    + e.getSQLState()
                                    + ": "
                                    + e.getMessage(),
                            e);
                }
                long cap = Math.min(1000, 10L << attempt);
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(cap / 2, cap + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new StoreException("interrupted while retrying " + sql, e);
                }
            }
        }
    }

    static void setInstant(PreparedStatement ps, int index, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, value.atOffset(ZoneOffset.UTC));
        }
    }

    static Instant instant(ResultSet rs, int index) throws SQLException {
        OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
