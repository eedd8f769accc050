package io.scanorder.payment.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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

    /** Encrypted columns' field names (bound into the ciphertext with the row's out_trade_no). */
    static final String PAYER_OPENID = "payer_openid";

    static final String TRANSACTION_ID = "transaction_id";

    private final DataSource dataSource;
    private final FieldCipher cipher;
    private final Clock clock = Clock.systemUTC();

    @Inject
    public PaymentStore(DataSource dataSource, FieldCipher cipher) {
        this.dataSource = dataSource;
        this.cipher = cipher;
    }

    /** The cipher of this store's encrypted columns. */
    public FieldCipher cipher() {
        return cipher;
    }

    /** Records a new payment attempt; false when the out_trade_no is already known. */
    public boolean insertIfAbsent(PaymentRecord p) {
        return insertIfAbsent(p, null, null);
    }

    /**
     * Records a new payment attempt unless the out_trade_no is known or, when {@code limits} is
     * given, the payer or the device already started as many payments as allowed within the window.
     * The count and the insert are one SERIALIZABLE statement, so concurrent prepays cannot slip
     * past the limit together.
     *
     * @param deviceFingerprint the diner's device fingerprint, stored only as a keyed HMAC; null if
     *     the caller sent none
     * @return false when nothing was inserted: the out_trade_no exists or a limit was reached
     */
    public boolean insertIfAbsent(PaymentRecord p, String deviceFingerprint, RiskLimits limits) {
        Instant now = clock.instant();
        String openidLookup = cipher.lookup(PAYER_OPENID, p.payerOpenid());
        String deviceLookup = cipher.lookup(DEVICE_FINGERPRINT, deviceFingerprint);
        StringBuilder sql =
                new StringBuilder(
                        "INSERT INTO payments (out_trade_no, store_code, order_id, description,"
                                + " amount_fen, payer_openid, payer_openid_hmac,"
                                + " payer_device_hmac, expires_at, prepay_id, state, state_rank,"
                                + " created_at, updated_at)"
                                + " SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?");
        if (limits != null) {
            sql.append(
                    " WHERE (SELECT count(*) FROM payments WHERE payer_openid_hmac = ?"
                            + " AND created_at > ?) < ?");
            if (deviceLookup != null) {
                sql.append(
                        " AND (SELECT count(*) FROM payments WHERE payer_device_hmac = ?"
                                + " AND created_at > ?) < ?");
            }
        }
        sql.append(" ON CONFLICT (out_trade_no) DO NOTHING");
        return update(
                        sql.toString(),
                        ps -> {
                            ps.setString(1, p.outTradeNo());
                            ps.setString(2, p.storeCode());
                            ps.setString(3, p.orderId());
                            ps.setString(4, p.description());
                            ps.setLong(5, p.amountFen());
                            ps.setString(
                                    6,
                                    cipher.encrypt(
                                            PAYER_OPENID,
                                            "payments/" + p.outTradeNo(),
                                            p.payerOpenid()));
                            ps.setString(7, openidLookup);
                            ps.setString(8, deviceLookup);
                            setInstant(ps, 9, p.expiresAt());
                            ps.setString(10, PaymentState.NOT_PAID.name());
                            ps.setInt(11, PaymentState.NOT_PAID.rank());
                            setInstant(ps, 12, now);
                            setInstant(ps, 13, now);
                            if (limits != null) {
                                ps.setString(14, openidLookup);
                                setInstant(ps, 15, now.minus(limits.perPayer().window()));
                                ps.setInt(16, limits.perPayer().max());
                                if (deviceLookup != null) {
                                    ps.setString(17, deviceLookup);
                                    setInstant(ps, 18, now.minus(limits.perDevice().window()));
                                    ps.setInt(19, limits.perDevice().max());
                                }
                            }
                        })
                == 1;
    }

    /** Field name of the device fingerprint's lookup column. */
    static final String DEVICE_FINGERPRINT = "device_fingerprint";

    /**
     * How long until the payer ({@code payerOpenid}) or the device may start another payment under
     * {@code limits}, or empty when neither limit is reached.
     */
    public Optional<RiskLimits.Exceeded> exceeded(
            String payerOpenid, String deviceFingerprint, RiskLimits limits) {
        Instant now = clock.instant();
        Optional<RiskLimits.Exceeded> payer =
                exceeded(
                        "payer_openid_hmac",
                        cipher.lookup(PAYER_OPENID, payerOpenid),
                        limits.perPayer(),
                        "payer",
                        now);
        if (payer.isPresent() || deviceFingerprint == null) {
            return payer;
        }
        return exceeded(
                "payer_device_hmac",
                cipher.lookup(DEVICE_FINGERPRINT, deviceFingerprint),
                limits.perDevice(),
                "device",
                now);
    }

    private Optional<RiskLimits.Exceeded> exceeded(
            String column, String lookup, RiskLimits.Limit limit, String who, Instant now) {
        Instant since = now.minus(limit.window());
        // The max-th newest payment in the window decides when one slot frees up.
        return query(
                        "SELECT count(*), (SELECT created_at FROM payments WHERE "
                                + column
                                + " = ? AND created_at > ? ORDER BY created_at DESC"
                                + " OFFSET ? LIMIT 1) FROM payments WHERE "
                                + column
                                + " = ? AND created_at > ?",
                        ps -> {
                            ps.setString(1, lookup);
                            setInstant(ps, 2, since);
                            ps.setInt(3, limit.max() - 1);
                            ps.setString(4, lookup);
                            setInstant(ps, 5, since);
                        },
                        rs -> {
                            long count = rs.getLong(1);
                            Instant oldest = instant(rs, 2);
                            if (count < limit.max() || oldest == null) {
                                return Optional.<RiskLimits.Exceeded>empty();
                            }
                            Duration wait = Duration.between(now, oldest.plus(limit.window()));
                            return Optional.of(
                                    new RiskLimits.Exceeded(
                                            who,
                                            limit,
                                            count,
                                            wait.isNegative() ? Duration.ZERO : wait));
                        })
                .flatMap(x -> x);
    }

    static final String PAYMENT_COLUMNS =
            "out_trade_no, store_code, order_id, description, amount_fen,"
                    + " payer_openid, expires_at, prepay_id, state, state_description,"
                    + " transaction_id, payer_total_fen, paid_at";

    public Optional<PaymentRecord> find(String outTradeNo) {
        return query(
                "SELECT " + PAYMENT_COLUMNS + " FROM payments WHERE out_trade_no = ?",
                ps -> ps.setString(1, outTradeNo),
                this::readPayment);
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
                this::readPayment);
    }

    /** Reads a row of {@link #PAYMENT_COLUMNS}, decrypting the encrypted columns. */
    PaymentRecord readPayment(ResultSet rs) throws SQLException {
        String outTradeNo = rs.getString(1);
        return new PaymentRecord(
                outTradeNo,
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getLong(5),
                cipher.decrypt(PAYER_OPENID, "payments/" + outTradeNo, rs.getString(6)),
                instant(rs, 7),
                rs.getString(8),
                PaymentState.valueOf(rs.getString(9)),
                rs.getString(10),
                cipher.decrypt(TRANSACTION_ID, "payments/" + outTradeNo, rs.getString(11)),
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
                                + " transaction_id_hmac = COALESCE(transaction_id_hmac, ?),"
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
                                    ps.setString(
                                            7,
                                            cipher.encrypt(
                                                    TRANSACTION_ID,
                                                    "payments/" + outTradeNo,
                                                    report.transactionId()));
                                    ps.setString(
                                            8,
                                            cipher.lookup(TRANSACTION_ID, report.transactionId()));
                                    if (report.payerTotalFen() == null) {
                                        ps.setNull(9, Types.BIGINT);
                                    } else {
                                        ps.setLong(9, report.payerTotalFen());
                                    }
                                    setInstant(ps, 10, report.paidAt());
                                    setInstant(ps, 11, now);
                                    ps.setString(12, outTradeNo);
                                    ps.setInt(13, rank);
                                    for (int i = 14; i <= 17; i++) {
                                        setInstant(ps, i, now);
                                    }
                                },
                                rs -> rs.getLong(1))
                        .orElse(0L)
                > 0;
    }

    /** The columns {@link #readRefund} reads, in its order. */
    static final String REFUND_COLUMNS =
            "out_refund_no, out_trade_no, refund_fen, reason, refund_id, status, succeeded_at";

    public Optional<RefundRecord> findRefund(String outRefundNo) {
        return query(
                "SELECT " + REFUND_COLUMNS + " FROM refunds WHERE out_refund_no = ?",
                ps -> ps.setString(1, outRefundNo),
                PaymentStore::readRefund);
    }

    /** One refund from a row of {@link #REFUND_COLUMNS}. */
    static RefundRecord readRefund(ResultSet rs) throws SQLException {
        return new RefundRecord(
                rs.getString(1),
                rs.getString(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getString(5),
                RefundState.valueOf(rs.getString(6)),
                instant(rs, 7));
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
     * service has no row for it yet, else fills in the refund id and moves the state forward. When
     * the refund reaches its final state (SUCCESS or CLOSED) the same statement writes its {@code
     * refund_notices} row (once), so the order service learns every refund outcome even if this
     * process dies right after the commit.
     *
     * @return true if anything changed
     */
    public boolean applyRefund(RefundRecord r) {
        Instant now = clock.instant();
        return query(
                                "WITH changed AS (INSERT INTO refunds (out_refund_no, out_trade_no,"
                                        + " refund_fen, reason, refund_id, status, status_rank,"
                                        + " succeeded_at, created_at, updated_at)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                                        + " ON CONFLICT (out_refund_no) DO UPDATE SET"
                                        + " refund_id = COALESCE(refunds.refund_id,"
                                        + " excluded.refund_id),"
                                        + " status = CASE WHEN refunds.status_rank <"
                                        + " excluded.status_rank"
                                        + " THEN excluded.status ELSE refunds.status END,"
                                        + " status_rank = CASE WHEN refunds.status_rank <"
                                        + " excluded.status_rank THEN excluded.status_rank"
                                        + " ELSE refunds.status_rank END,"
                                        + " succeeded_at = COALESCE(refunds.succeeded_at,"
                                        + " excluded.succeeded_at),"
                                        + " updated_at = excluded.updated_at"
                                        + " WHERE refunds.status_rank < excluded.status_rank"
                                        + " OR (refunds.refund_id IS NULL AND excluded.refund_id"
                                        + " IS NOT NULL)"
                                        + " RETURNING out_refund_no, out_trade_no, refund_fen,"
                                        + " refund_id, status, succeeded_at),"
                                        + " notice AS (INSERT INTO refund_notices (out_refund_no,"
                                        + " out_trade_no, order_id, store_code, refund_fen,"
                                        + " refund_id, outcome, succeeded_at, status, attempts,"
                                        + " next_attempt_at, created_at, updated_at)"
                                        + " SELECT c.out_refund_no, c.out_trade_no, p.order_id,"
                                        + " p.store_code, c.refund_fen, c.refund_id, c.status,"
                                        + " c.succeeded_at, 'PENDING', 0, ?, ?, ?"
                                        + " FROM changed c JOIN payments p"
                                        + " ON p.out_trade_no = c.out_trade_no"
                                        + " WHERE c.status IN ('SUCCESS', 'CLOSED')"
                                        + " ON CONFLICT (out_refund_no) DO NOTHING"
                                        + " RETURNING out_refund_no)"
                                        + " SELECT (SELECT count(*) FROM changed),"
                                        + " (SELECT count(*) FROM notice)",
                                ps -> {
                                    ps.setString(1, r.outRefundNo());
                                    ps.setString(2, r.outTradeNo());
                                    ps.setLong(3, r.refundFen());
                                    ps.setString(4, r.reason());
                                    ps.setString(5, r.refundId());
                                    ps.setString(6, r.state().name());
                                    ps.setInt(7, r.state().rank());
                                    setInstant(ps, 8, r.succeededAt());
                                    for (int i = 9; i <= 13; i++) {
                                        setInstant(ps, i, now);
                                    }
                                },
                                rs -> rs.getLong(1))
                        .orElse(0L)
                > 0;
    }

    /** A refund still waiting for its outcome, with the store it was made for. */
    public record OpenRefund(String storeCode, String outRefundNo, String outTradeNo) {}

    /**
     * Refunds WeChat accepted but whose outcome (SUCCESS or CLOSED) was not recorded by {@code
     * before}: their notification is lost or late, so they are queried instead.
     */
    public List<OpenRefund> findOpenRefunds(Instant before, int limit) {
        return list(
                "SELECT p.store_code, r.out_refund_no, r.out_trade_no FROM refunds r"
                        + " JOIN payments p ON p.out_trade_no = r.out_trade_no"
                        + " WHERE r.status_rank < 3 AND r.refund_id IS NOT NULL"
                        + " AND r.updated_at <= ? ORDER BY r.updated_at LIMIT ?",
                ps -> {
                    setInstant(ps, 1, before);
                    ps.setInt(2, limit);
                },
                rs -> new OpenRefund(rs.getString(1), rs.getString(2), rs.getString(3)));
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

    /**
     * Encrypts values written in clear before encryption at rest existed (V5): payer openids and
     * transaction ids of payments, their copies in order notices, and reconciliation differences.
     * Each row is rewritten only if it still holds the clear value read, so concurrent writers and
     * other replicas doing the same are harmless.
     *
     * @return rows rewritten
     */
    public int encryptLegacyRows() {
        String clear = " NOT LIKE '" + FieldCipher.PREFIX + "%'";
        int done = 0;
        record Legacy(String key, String key2, String a, String b) {}
        for (Legacy l :
                list(
                        "SELECT out_trade_no, NULL, payer_openid, transaction_id FROM payments"
                                + " WHERE payer_openid"
                                + clear
                                + " OR transaction_id"
                                + clear,
                        ps -> {},
                        rs ->
                                new Legacy(
                                        rs.getString(1), null, rs.getString(3), rs.getString(4)))) {
            String row = "payments/" + l.key();
            done +=
                    update(
                            "UPDATE payments SET payer_openid = ?, payer_openid_hmac = ?,"
                                    + " transaction_id = ?, transaction_id_hmac = ?"
                                    + " WHERE out_trade_no = ? AND payer_openid = ?"
                                    + " AND transaction_id IS NOT DISTINCT FROM ?",
                            ps -> {
                                String openid = cipher.decrypt(PAYER_OPENID, row, l.a());
                                String tx = cipher.decrypt(TRANSACTION_ID, row, l.b());
                                ps.setString(1, reencrypt(PAYER_OPENID, row, l.a()));
                                ps.setString(2, cipher.lookup(PAYER_OPENID, openid));
                                ps.setString(3, reencrypt(TRANSACTION_ID, row, l.b()));
                                ps.setString(4, cipher.lookup(TRANSACTION_ID, tx));
                                ps.setString(5, l.key());
                                ps.setString(6, l.a());
                                ps.setString(7, l.b());
                            });
        }
        for (Legacy l :
                list(
                        "SELECT out_trade_no, NULL, transaction_id, NULL FROM order_notices"
                                + " WHERE transaction_id"
                                + clear,
                        ps -> {},
                        rs -> new Legacy(rs.getString(1), null, rs.getString(3), null))) {
            done +=
                    update(
                            "UPDATE order_notices SET transaction_id = ? WHERE out_trade_no = ?"
                                    + " AND transaction_id = ?",
                            ps -> {
                                ps.setString(
                                        1,
                                        cipher.encrypt(
                                                TRANSACTION_ID, "payments/" + l.key(), l.a()));
                                ps.setString(2, l.key());
                                ps.setString(3, l.a());
                            });
        }
        for (Legacy l :
                list(
                        "SELECT run_id, out_trade_no, transaction_id, NULL"
                                + " FROM reconciliation_differences WHERE transaction_id"
                                + clear,
                        ps -> {},
                        rs ->
                                new Legacy(
                                        rs.getString(1), rs.getString(2), rs.getString(3), null))) {
            done +=
                    update(
                            "UPDATE reconciliation_differences SET transaction_id = ?"
                                    + " WHERE run_id = ? AND out_trade_no = ? AND transaction_id = ?",
                            ps -> {
                                ps.setString(
                                        1,
                                        cipher.encrypt(
                                                TRANSACTION_ID,
                                                "reconciliation_differences/"
                                                        + l.key()
                                                        + "/"
                                                        + l.key2(),
                                                l.a()));
                                ps.setString(2, l.key());
                                ps.setString(3, l.key2());
                                ps.setString(4, l.a());
                            });
        }
        return done;
    }

    private String reencrypt(String field, String row, String stored) {
        return stored == null || stored.startsWith(FieldCipher.PREFIX)
                ? stored
                : cipher.encrypt(field, row, stored);
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
