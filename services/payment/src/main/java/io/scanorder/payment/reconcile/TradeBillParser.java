package io.scanorder.payment.reconcile;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads WeChat Pay's trade bill (bill_type ALL): a header row naming the columns, one row per
 * payment or refund with every field prefixed by a backquote, then a summary header and row.
 * Columns are found by their (Chinese) header names, not by position, since WeChat has added
 * columns over time. Amounts are yuan with two decimals and become fen.
 */
public final class TradeBillParser {
    static final String TRANSACTION_ID = "微信订单号";
    static final String OUT_TRADE_NO = "商户订单号";
    static final String TRADE_STATE = "交易状态";
    static final String ORDER_AMOUNT = "订单金额";
    static final String REFUND_ID = "微信退款单号";
    static final String OUT_REFUND_NO = "商户退款单号";
    static final String REFUND_STATE = "退款状态";
    static final String REFUND_AMOUNT = "申请退款金额";
    static final String SUMMARY_FIRST_COLUMN = "总交易单数";

    private TradeBillParser() {}

    /**
     * One payment row of the bill.
     *
     * @param amountFen the order amount (订单金额) in fen
     */
    public record BillPayment(String outTradeNo, String transactionId, long amountFen) {}

    /**
     * One successful refund row of the bill (交易状态 REFUND, 退款状态 SUCCESS).
     *
     * @param refundFen the amount asked for (申请退款金额) in fen
     */
    public record BillRefund(
            String outTradeNo, String outRefundNo, String refundId, long refundFen) {}

    /** The bill's rows under its header, each with its 1-based line number. */
    private record Rows(Map<String, Integer> columns, List<Row> rows) {
        int column(String name) {
            Integer i = columns.get(name);
            if (i == null) {
                throw new IllegalArgumentException(
                        "trade bill header has no column "
                                + name
                                + "; columns: "
                                + columns.keySet());
            }
            return i;
        }
    }

    private record Row(int line, List<String> fields) {}

    /**
     * The payment rows (交易状态 SUCCESS) of a bill; refund rows are skipped.
     *
     * @throws IllegalArgumentException naming the line and column that cannot be read
     */
    public static List<BillPayment> payments(String bill) {
        Rows rows = rows(bill);
        int no = rows.column(OUT_TRADE_NO);
        int tx = rows.column(TRANSACTION_ID);
        int state = rows.column(TRADE_STATE);
        int amount = rows.column(ORDER_AMOUNT);
        List<BillPayment> out = new ArrayList<>();
        for (Row row : rows.rows()) {
            List<String> f = row.fields();
            if ("SUCCESS".equals(f.get(state))) {
                out.add(
                        new BillPayment(
                                f.get(no),
                                f.get(tx),
                                fen(f.get(amount), row.line(), ORDER_AMOUNT)));
            }
        }
        return out;
    }

    /**
     * The successful refund rows (交易状态 REFUND, 退款状态 SUCCESS) of a bill; payment rows are skipped.
     *
     * @throws IllegalArgumentException naming the line and column that cannot be read
     */
    public static List<BillRefund> refunds(String bill) {
        Rows rows = rows(bill);
        int no = rows.column(OUT_TRADE_NO);
        int state = rows.column(TRADE_STATE);
        int refundNo = rows.column(OUT_REFUND_NO);
        int refundId = rows.column(REFUND_ID);
        int refundState = rows.column(REFUND_STATE);
        int amount = rows.column(REFUND_AMOUNT);
        List<BillRefund> out = new ArrayList<>();
        for (Row row : rows.rows()) {
            List<String> f = row.fields();
            if ("REFUND".equals(f.get(state)) && "SUCCESS".equals(f.get(refundState))) {
                out.add(
                        new BillRefund(
                                f.get(no),
                                f.get(refundNo),
                                f.get(refundId),
                                fen(f.get(amount), row.line(), REFUND_AMOUNT)));
            }
        }
        return out;
    }

    private static Rows rows(String bill) {
        String[] lines = bill.replace("\r", "").split("\n");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new IllegalArgumentException("trade bill is empty: no header row");
        }
        Map<String, Integer> columns = new HashMap<>();
        List<String> header = fields(lines[0]);
        for (int i = 0; i < header.size(); i++) {
            columns.putIfAbsent(header.get(i), i);
        }
        List<Row> rows = new ArrayList<>();
        for (int line = 1; line < lines.length; line++) {
            String text = lines[line];
            if (text.isBlank()) {
                continue;
            }
            if (text.startsWith(SUMMARY_FIRST_COLUMN)) {
                break;
            }
            List<String> row = fields(text);
            if (row.size() < header.size()) {
                throw new IllegalArgumentException(
                        "trade bill line "
                                + (line + 1)
                                + " has "
                                + row.size()
                                + " fields, the header has "
                                + header.size());
            }
            rows.add(new Row(line + 1, row));
        }
        return new Rows(columns, rows);
    }

    private static List<String> fields(String line) {
        List<String> out = new ArrayList<>();
        for (String f : line.split(",", -1)) {
            String v = f.strip();
            out.add(v.startsWith("`") ? v.substring(1) : v);
        }
        return out;
    }

    private static long fen(String yuan, int line, String column) {
        try {
            return new BigDecimal(yuan).movePointRight(2).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException(
                    "trade bill line "
                            + line
                            + ", column "
                            + column
                            + ": '"
                            + yuan
                            + "' is not an amount in yuan with at most two decimals");
        }
    }
}
