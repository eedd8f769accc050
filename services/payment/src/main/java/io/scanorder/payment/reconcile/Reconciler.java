package io.scanorder.payment.reconcile;

import com.wechat.pay.java.core.exception.ServiceException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.PaymentException.Reason;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.ReconciliationReport;
import io.scanorder.payment.store.ReconciliationReport.Difference;
import io.scanorder.payment.store.ReconciliationReport.Kind;
import io.scanorder.payment.store.ReconciliationReport.RefundDifference;
import io.scanorder.payment.store.ReconciliationStore;
import io.scanorder.payment.store.RefundRecord;
import io.scanorder.payment.store.StoreException;
import io.scanorder.payment.wechat.WeChatErrors;
import io.scanorder.payment.wechat.WeChatPayGateway;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Reconciles a day's WeChat Pay trade bill with the payments and refunds recorded here, both ways:
 * every paid row of the bill must be a payment recorded as paid on that day with the same amount,
 * every successful refund row a refund recorded as succeeded on that day with the same amount, and
 * every such payment and refund must be in the bill. Stores the report and publishes the
 * differences of the latest run as {@code scanorder_reconciliation_mismatches{kind}} and {@code
 * scanorder_reconciliation_refund_mismatches{kind}}.
 */
@ApplicationScoped
public class Reconciler {
    private static final Logger LOG = Logger.getLogger(Reconciler.class);
    static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final WeChatPayGateway wechat;
    private final PaymentStore payments;
    private final ReconciliationStore reports;
    private final Map<Kind, AtomicLong> mismatches = new EnumMap<>(Kind.class);
    private final Map<Kind, AtomicLong> refundMismatches = new EnumMap<>(Kind.class);
    private final Clock clock = Clock.systemUTC();

    Reconciler(
            WeChatPayGateway wechat,
            PaymentStore payments,
            ReconciliationStore reports,
            MeterRegistry registry) {
        this.wechat = wechat;
        this.payments = payments;
        this.reports = reports;
        for (Kind kind : Kind.values()) {
            AtomicLong value = new AtomicLong();
            mismatches.put(kind, value);
            Gauge.builder("scanorder.reconciliation.mismatches", value, AtomicLong::get)
                    .description(
                            "Payments that did not match in the latest reconciliation of WeChat"
                                    + " Pay's trade bill, by kind")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry);
            AtomicLong refunds = new AtomicLong();
            refundMismatches.put(kind, refunds);
            Gauge.builder("scanorder.reconciliation.refund.mismatches", refunds, AtomicLong::get)
                    .description(
                            "Refunds that did not match in the latest reconciliation of WeChat"
                                    + " Pay's trade bill, by kind")
                    .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                    .register(registry);
        }
    }

    /** Parses a bill_date (yyyy-MM-dd); today in China or earlier. */
    public LocalDate billDate(String value) {
        LocalDate day;
        try {
            day = LocalDate.parse(value == null ? "" : value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT, "bill_date must be yyyy-MM-dd, got '" + value + "'");
        }
        if (day.isAfter(LocalDate.now(clock.withZone(CHINA)))) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT,
                    "bill_date " + day + " is in the future (China Standard Time)");
        }
        return day;
    }

    /** Downloads, compares, stores and returns the report of one day. */
    public ReconciliationReport reconcile(LocalDate day) {
        String bill;
        try {
            bill = wechat.tradeBill(day);
        } catch (RuntimeException e) {
            if (e instanceof IllegalStateException || e instanceof java.io.UncheckedIOException) {
                // Hash mismatch or a broken download: a new download may well succeed.
                throw new PaymentException(
                        Reason.UNAVAILABLE, e.getMessage() + "; run the reconciliation again", e);
            }
            if (e instanceof ServiceException s && "NO_STATEMENT_EXIST".equals(s.getErrorCode())) {
                // WeChat has no bill for a day without payments: compare with an empty one.
                bill = null;
            } else {
                throw WeChatErrors.translate(
                        "trade bill of " + day, e, wechat.baseUrl().toString());
            }
        }
        List<TradeBillParser.BillPayment> billed;
        List<TradeBillParser.BillRefund> billedRefunds;
        try {
            billed = bill == null ? List.of() : TradeBillParser.payments(bill);
            billedRefunds = bill == null ? List.of() : TradeBillParser.refunds(bill);
        } catch (IllegalArgumentException e) {
            throw new PaymentException(
                    Reason.INTERNAL,
                    "the trade bill of " + day + " cannot be read: " + e.getMessage());
        }
        ReconciliationReport report;
        try {
            report = compare(day, billed, billedRefunds);
            reports.save(report);
        } catch (StoreException e) {
            throw new PaymentException(
                    Reason.UNAVAILABLE,
                    "the payment database is unavailable; run the reconciliation again ("
                            + e.getMessage()
                            + ")",
                    e);
        }
        for (Kind kind : Kind.values()) {
            mismatches.get(kind).set(report.count(kind));
            refundMismatches.get(kind).set(report.refundCount(kind));
        }
        if (report.differences().isEmpty() && report.refundDifferences().isEmpty()) {
            LOG.infof(
                    "trade bill of %s reconciled: %d payments and %d refunds match",
                    day, report.matched(), report.matchedRefunds());
        } else {
            LOG.warnf(
                    "trade bill of %s: %d payments match, %d differ; %d refunds match, %d differ"
                            + " (run %s); see GetReconciliationReport",
                    day,
                    report.matched(),
                    report.differences().size(),
                    report.matchedRefunds(),
                    report.refundDifferences().size(),
                    report.runId());
        }
        return report;
    }

    private ReconciliationReport compare(
            LocalDate day,
            List<TradeBillParser.BillPayment> billed,
            List<TradeBillParser.BillRefund> billedRefunds) {
        Instant from = day.atStartOfDay(CHINA).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(CHINA).toInstant();
        Map<String, PaymentRecord> ours = new LinkedHashMap<>();
        for (PaymentRecord p : reports.paidBetween(from, to)) {
            ours.put(p.outTradeNo(), p);
        }
        List<Difference> differences = new ArrayList<>();
        int matched = 0;
        for (TradeBillParser.BillPayment b : billed) {
            PaymentRecord p = ours.remove(b.outTradeNo());
            if (p == null) {
                String detail =
                        payments.find(b.outTradeNo())
                                .map(
                                        known ->
                                                "recorded here as "
                                                        + known.state()
                                                        + (known.paidAt() == null
                                                                ? ""
                                                                : ", paid at " + known.paidAt())
                                                        + "; query it to record the payment")
                                .orElse("unknown here: not created by this payment service");
                differences.add(
                        new Difference(
                                Kind.MISSING_HERE,
                                b.outTradeNo(),
                                b.transactionId(),
                                null,
                                b.amountFen(),
                                detail));
            } else if (p.amountFen() != b.amountFen()) {
                differences.add(
                        new Difference(
                                Kind.AMOUNT_MISMATCH,
                                b.outTradeNo(),
                                b.transactionId(),
                                p.amountFen(),
                                b.amountFen(),
                                "recorded here as "
                                        + p.amountFen()
                                        + " fen, WeChat billed "
                                        + b.amountFen()
                                        + " fen"));
            } else {
                matched++;
            }
        }
        for (PaymentRecord p : ours.values()) {
            differences.add(
                    new Difference(
                            Kind.MISSING_AT_WECHAT,
                            p.outTradeNo(),
                            p.transactionId(),
                            p.amountFen(),
                            null,
                            "recorded here as "
                                    + p.state()
                                    + " at "
                                    + p.paidAt()
                                    + " but not in WeChat's bill; query it and check the"
                                    + " merchant platform"));
        }
        List<RefundDifference> refundDifferences = new ArrayList<>();
        int matchedRefunds = compareRefunds(from, to, billedRefunds, refundDifferences);
        return new ReconciliationReport(
                UUID.randomUUID().toString(),
                day,
                clock.instant(),
                matched,
                differences,
                matchedRefunds,
                refundDifferences);
    }

    /**
     * Compares the bill's successful refunds with the refunds recorded here as succeeded in {@code
     * [from, to)}; adds the differences and returns how many matched.
     */
    private int compareRefunds(
            Instant from,
            Instant to,
            List<TradeBillParser.BillRefund> billed,
            List<RefundDifference> differences) {
        Map<String, RefundRecord> ours = new LinkedHashMap<>();
        for (RefundRecord r : reports.refundedBetween(from, to)) {
            ours.put(r.outRefundNo(), r);
        }
        int matched = 0;
        for (TradeBillParser.BillRefund b : billed) {
            RefundRecord r = ours.remove(b.outRefundNo());
            if (r == null) {
                String detail =
                        payments.findRefund(b.outRefundNo())
                                .map(
                                        known ->
                                                "recorded here as "
                                                        + known.state()
                                                        + (known.succeededAt() == null
                                                                ? ""
                                                                : ", succeeded at "
                                                                        + known.succeededAt())
                                                        + "; query it (QueryRefund) to record the"
                                                        + " outcome")
                                .orElse(
                                        "unknown here: not requested through this payment"
                                                + " service (refunded in the merchant platform?)");
                differences.add(
                        new RefundDifference(
                                Kind.MISSING_HERE,
                                b.outRefundNo(),
                                b.outTradeNo(),
                                b.refundId(),
                                null,
                                b.refundFen(),
                                detail));
            } else if (r.refundFen() != b.refundFen()) {
                differences.add(
                        new RefundDifference(
                                Kind.AMOUNT_MISMATCH,
                                b.outRefundNo(),
                                b.outTradeNo(),
                                b.refundId(),
                                r.refundFen(),
                                b.refundFen(),
                                "recorded here as "
                                        + r.refundFen()
                                        + " fen, WeChat billed a refund of "
                                        + b.refundFen()
                                        + " fen"));
            } else {
                matched++;
            }
        }
        for (RefundRecord r : ours.values()) {
            differences.add(
                    new RefundDifference(
                            Kind.MISSING_AT_WECHAT,
                            r.outRefundNo(),
                            r.outTradeNo(),
                            r.refundId(),
                            r.refundFen(),
                            null,
                            "recorded here as SUCCESS at "
                                    + r.succeededAt()
                                    + " but not in WeChat's bill; query it (QueryRefund) and check"
                                    + " the merchant platform"));
        }
        return matched;
    }

    /** The latest stored report of a day. */
    public ReconciliationReport latest(LocalDate day) {
        try {
            return reports.latest(day)
                    .orElseThrow(
                            () ->
                                    new PaymentException(
                                            Reason.NOT_FOUND,
                                            "the trade bill of "
                                                    + day
                                                    + " has not been reconciled yet; run"
                                                    + " ReconcileBill"));
        } catch (StoreException e) {
            throw new PaymentException(Reason.UNAVAILABLE, e.getMessage(), e);
        }
    }
}
