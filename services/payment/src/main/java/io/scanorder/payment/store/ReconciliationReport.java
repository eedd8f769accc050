package io.scanorder.payment.store;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * One stored reconciliation run of a day's trade bill, with every difference found: payments
 * ({@code matched}, {@code differences}) and refunds ({@code matchedRefunds}, {@code
 * refundDifferences}).
 */
public record ReconciliationReport(
        String runId,
        LocalDate billDate,
        Instant reconciledAt,
        int matched,
        List<Difference> differences,
        int matchedRefunds,
        List<RefundDifference> refundDifferences) {

    /** Kinds of difference; stored as their names. */
    public enum Kind {
        MISSING_HERE,
        MISSING_AT_WECHAT,
        AMOUNT_MISMATCH
    }

    /**
     * One payment that did not match.
     *
     * @param ourFen amount recorded here, null when missing here
     * @param wechatFen amount in WeChat's bill, null when missing there
     */
    public record Difference(
            Kind kind,
            String outTradeNo,
            String transactionId,
            Long ourFen,
            Long wechatFen,
            String detail) {}

    /**
     * One refund that did not match.
     *
     * @param refundId WeChat's refund id, from whichever side has it; may be null
     * @param ourFen amount recorded here, null when missing here
     * @param wechatFen amount in WeChat's bill, null when missing there
     */
    public record RefundDifference(
            Kind kind,
            String outRefundNo,
            String outTradeNo,
            String refundId,
            Long ourFen,
            Long wechatFen,
            String detail) {}

    /** Payment differences of this kind. */
    public long count(Kind kind) {
        return differences.stream().filter(d -> d.kind() == kind).count();
    }

    /** Refund differences of this kind. */
    public long refundCount(Kind kind) {
        return refundDifferences.stream().filter(d -> d.kind() == kind).count();
    }
}
