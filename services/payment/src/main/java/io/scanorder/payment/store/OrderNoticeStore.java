package io.scanorder.payment.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The {@code order_notices} outbox: rows are inserted by {@link PaymentStore#apply} and worked off
 * here. Work is claimed by pushing {@code next_attempt_at} forward by a lease in one statement, so
 * with several replicas each due notice is worked by one of them at a time, and a replica that dies
 * mid-delivery leaves the notice due again once its lease ends.
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
                OrderNoticeStore::read);
    }

    public Optional<OrderNotice> find(String outTradeNo) {
        return db.query(
                "SELECT " + COLUMNS + " FROM order_notices WHERE out_trade_no = ?",
                ps -> ps.setString(1, outTradeNo),
                OrderNoticeStore::read);
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

    private static String truncate(String s) {
        return s.length() <= 500 ? s : s.substring(0, 500);
    }

    private static OrderNotice read(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new OrderNotice(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                PaymentStore.instant(rs, 6),
                OrderNotice.Status.valueOf(rs.getString(7)),
                rs.getInt(8),
                rs.getString(9));
    }
}
