package io.scanorder.payment.store;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * Reconciliation reports in {@code reconciliation_runs}, {@code reconciliation_differences} and
 * {@code reconciliation_refund_differences}, and the payments and refunds a day's bill is compared
 * with. Differences are written before their run row, so a report is only found once it is
 * complete; a run that died halfway leaves unreferenced rows.
 */
@ApplicationScoped
public class ReconciliationStore {
    private final PaymentStore db;

    ReconciliationStore(PaymentStore db) {
        this.db = db;
    }

    /** Payments recorded as paid with {@code from <= paid_at < to}. */
    public List<PaymentRecord> paidBetween(Instant from, Instant to) {
        return db.list(
                "SELECT "
                        + PaymentStore.PAYMENT_COLUMNS
                        + " FROM payments WHERE state_rank >= "
                        + PaymentState.SUCCESS.rank()
                        + " AND paid_at >= ? AND paid_at < ?",
                ps -> {
                    PaymentStore.setInstant(ps, 1, from);
                    PaymentStore.setInstant(ps, 2, to);
                },
                db::readPayment);
    }

    /** Refunds recorded as succeeded with {@code from <= succeeded_at < to}. */
    public List<RefundRecord> refundedBetween(Instant from, Instant to) {
        return db.list(
                "SELECT "
                        + PaymentStore.REFUND_COLUMNS
                        + " FROM refunds WHERE status = 'SUCCESS'"
                        + " AND succeeded_at >= ? AND succeeded_at < ?",
                ps -> {
                    PaymentStore.setInstant(ps, 1, from);
                    PaymentStore.setInstant(ps, 2, to);
                },
                PaymentStore::readRefund);
    }

    /** Stores a finished run: its differences first, then the run row that makes it visible. */
    public void save(ReconciliationReport report) {
        for (ReconciliationReport.RefundDifference d : report.refundDifferences()) {
            db.update(
                    "INSERT INTO reconciliation_refund_differences (run_id, out_refund_no,"
                            + " out_trade_no, kind, refund_id, our_refund_fen, wechat_refund_fen,"
                            + " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    ps -> {
                        ps.setString(1, report.runId());
                        ps.setString(2, d.outRefundNo());
                        ps.setString(3, d.outTradeNo());
                        ps.setString(4, d.kind().name());
                        ps.setString(5, d.refundId());
                        setLong(ps, 6, d.ourFen());
                        setLong(ps, 7, d.wechatFen());
                        ps.setString(8, d.detail());
                    });
        }
        for (ReconciliationReport.Difference d : report.differences()) {
            db.update(
                    "INSERT INTO reconciliation_differences (run_id, out_trade_no, kind,"
                            + " transaction_id, our_amount_fen, wechat_amount_fen, detail)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    ps -> {
                        ps.setString(1, report.runId());
                        ps.setString(2, d.outTradeNo());
                        ps.setString(3, d.kind().name());
                        ps.setString(
                                4,
                                db.cipher()
                                        .encrypt(
                                                PaymentStore.TRANSACTION_ID,
                                                differenceRow(report.runId(), d.outTradeNo()),
                                                d.transactionId()));
                        setLong(ps, 5, d.ourFen());
                        setLong(ps, 6, d.wechatFen());
                        ps.setString(7, d.detail());
                    });
        }
        db.update(
                "INSERT INTO reconciliation_runs (run_id, bill_date, matched, missing_here,"
                        + " missing_at_wechat, amount_mismatch, reconciled_at, matched_refunds)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                ps -> {
                    ps.setString(1, report.runId());
                    ps.setObject(2, report.billDate());
                    ps.setInt(3, report.matched());
                    ps.setInt(4, (int) report.count(ReconciliationReport.Kind.MISSING_HERE));
                    ps.setInt(5, (int) report.count(ReconciliationReport.Kind.MISSING_AT_WECHAT));
                    ps.setInt(6, (int) report.count(ReconciliationReport.Kind.AMOUNT_MISMATCH));
                    PaymentStore.setInstant(ps, 7, report.reconciledAt());
                    ps.setInt(8, report.matchedRefunds());
                });
    }

    /** The latest finished run of a day. */
    public Optional<ReconciliationReport> latest(LocalDate billDate) {
        record Run(String runId, Instant at, int matched, int matchedRefunds) {}
        Optional<Run> run =
                db.query(
                        "SELECT run_id, reconciled_at, matched, matched_refunds"
                                + " FROM reconciliation_runs"
                                + " WHERE bill_date = ? ORDER BY reconciled_at DESC, run_id"
                                + " LIMIT 1",
                        ps -> ps.setObject(1, billDate),
                        rs ->
                                new Run(
                                        rs.getString(1),
                                        PaymentStore.instant(rs, 2),
                                        rs.getInt(3),
                                        rs.getInt(4)));
        return run.map(
                r ->
                        new ReconciliationReport(
                                r.runId(),
                                billDate,
                                r.at(),
                                r.matched(),
                                db.list(
                                        "SELECT kind, out_trade_no, transaction_id,"
                                                + " our_amount_fen, wechat_amount_fen, detail"
                                                + " FROM reconciliation_differences"
                                                + " WHERE run_id = ? ORDER BY kind, out_trade_no",
                                        ps -> ps.setString(1, r.runId()),
                                        rs ->
                                                new ReconciliationReport.Difference(
                                                        ReconciliationReport.Kind.valueOf(
                                                                rs.getString(1)),
                                                        rs.getString(2),
                                                        db.cipher()
                                                                .decrypt(
                                                                        PaymentStore.TRANSACTION_ID,
                                                                        differenceRow(
                                                                                r.runId(),
                                                                                rs.getString(2)),
                                                                        rs.getString(3)),
                                                        rs.getObject(4, Long.class),
                                                        rs.getObject(5, Long.class),
                                                        rs.getString(6))),
                                r.matchedRefunds(),
                                db.list(
                                        "SELECT kind, out_refund_no, out_trade_no, refund_id,"
                                                + " our_refund_fen, wechat_refund_fen, detail"
                                                + " FROM reconciliation_refund_differences"
                                                + " WHERE run_id = ? ORDER BY kind, out_refund_no",
                                        ps -> ps.setString(1, r.runId()),
                                        rs ->
                                                new ReconciliationReport.RefundDifference(
                                                        ReconciliationReport.Kind.valueOf(
                                                                rs.getString(1)),
                                                        rs.getString(2),
                                                        rs.getString(3),
                                                        rs.getString(4),
                                                        rs.getObject(5, Long.class),
                                                        rs.getObject(6, Long.class),
                                                        rs.getString(7)))));
    }

    private static String differenceRow(String runId, String outTradeNo) {
        return "reconciliation_differences/" + runId + "/" + outTradeNo;
    }

    private static void setLong(java.sql.PreparedStatement ps, int index, Long value)
            throws java.sql.SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, value);
        }
    }
}
