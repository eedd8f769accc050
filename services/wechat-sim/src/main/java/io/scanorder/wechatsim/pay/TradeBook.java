package io.scanorder.wechatsim.pay;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * All transactions and refunds of the simulated WeChat Pay, with WeChat's business rules:
 * idempotent prepay and refund by merchant number, state transitions, and refunds capped at the
 * paid amount. One lock guards the book, so concurrent refunds can never exceed a trade's total.
 */
public final class TradeBook {
    private final Clock clock;
    private final Map<String, Trade> trades = new LinkedHashMap<>();
    private final Map<String, RefundRecord> refunds = new LinkedHashMap<>();

    public TradeBook(Clock clock) {
        this.clock = clock;
    }

    private static String key(String mchid, String subMchid, String no) {
        return mchid + '/' + (subMchid == null ? "" : subMchid) + '/' + no;
    }

    /** Creates the trade, or returns the existing one for an identical repeated request. */
    synchronized Trade prepay(PrepayOrder order) {
        String key = key(order.mchid(), order.subMchid(), order.outTradeNo());
        Trade existing = trades.get(key);
        if (existing != null) {
            if (!existing.request.equals(order.raw())) {
                throw new PayApiException(400, "INVALID_REQUEST", "201 商户订单号重复");
            }
            if (existing.state.isPaid()) {
                throw new PayApiException(400, "ORDERPAID", "该订单已支付");
            }
            if (existing.state == TradeState.CLOSED) {
                throw new PayApiException(400, "ORDER_CLOSED", "该订单已关闭");
            }
            return existing;
        }
        Instant now = clock.instant();
        Trade trade =
                new Trade(
                        order.mchid(),
                        order.subMchid(),
                        order.appid(),
                        order.subAppid(),
                        order.outTradeNo(),
                        order.description(),
                        order.notifyUrl(),
                        order.attach(),
                        order.openid(),
                        order.subOpenid(),
                        order.total(),
                        PayIds.prepayId(now),
                        now,
                        order.raw());
        trades.put(key, trade);
        return trade;
    }

    synchronized Optional<Trade> find(String mchid, String subMchid, String outTradeNo) {
        return Optional.ofNullable(trades.get(key(mchid, subMchid, outTradeNo)));
    }

    /** The trade, or 404 ORDER_NOT_EXIST. */
    synchronized Trade require(String mchid, String subMchid, String outTradeNo) {
        return find(mchid, subMchid, outTradeNo)
                .orElseThrow(() -> new PayApiException(404, "ORDER_NOT_EXIST", "订单不存在"));
    }

    /** Closes an unpaid trade; closing a closed one again is a no-op, as at WeChat. */
    synchronized void close(Trade trade) {
        if (trade.state.isPaid()) {
            throw new PayApiException(400, "ORDERPAID", "订单已支付，不能关闭");
        }
        trade.state = TradeState.CLOSED;
    }

    /**
     * Plays the payer; returns true when the trade became SUCCESS just now (so it is notified).
     *
     * @throws IllegalStateException for a trade that can no longer be paid
     */
    synchronized boolean settle(Trade trade, PayOutcome outcome) {
        if (trade.state.isPaid()) {
            throw new IllegalStateException(
                    "trade " + trade.outTradeNo + " is already paid (" + trade.state + ")");
        }
        if (trade.state == TradeState.CLOSED) {
            throw new IllegalStateException("trade " + trade.outTradeNo + " is closed");
        }
        switch (outcome) {
            case SUCCESS -> {
                Instant now = clock.instant();
                trade.state = TradeState.SUCCESS;
                trade.transactionId = PayIds.transactionId(now);
                trade.successTime = now;
                return true;
            }
            case PAYERROR -> trade.state = TradeState.PAYERROR;
            case USERPAYING -> trade.state = TradeState.USERPAYING;
        }
        return false;
    }

    /** Accepts a refund (status PROCESSING), or returns the existing one for a repeat. */
    synchronized RefundRecord refund(String mchid, RefundOrder order) {
        String refundKey = key(mchid, order.subMchid(), order.outRefundNo());
        RefundRecord existing = refunds.get(refundKey);
        if (existing != null) {
            if (!existing.request.equals(order.raw())) {
                throw new PayApiException(
                        400,
                        "INVALID_REQUEST",
                        "退款单号重复: out_refund_no was used with other content");
            }
            return existing;
        }
        Trade trade = tradeForRefund(mchid, order);
        if (!trade.state.isPaid()) {
            throw new PayApiException(
                    400, "INVALID_REQUEST", "订单未支付，不能退款 (trade_state " + trade.state + ")");
        }
        if (order.total() != trade.total) {
            throw new PayApiException(
                    400,
                    "INVALID_REQUEST",
                    "订单金额不一致: amount.total " + order.total() + " != paid " + trade.total);
        }
        if (trade.refunded + order.refund() > trade.total) {
            throw new PayApiException(
                    400,
                    "INVALID_REQUEST",
                    "申请退款金额超过订单可退金额: "
                            + order.refund()
                            + " requested, "
                            + (trade.total - trade.refunded)
                            + " refundable");
        }
        Instant now = clock.instant();
        RefundRecord refund =
                new RefundRecord(
                        trade,
                        order.outRefundNo(),
                        PayIds.refundId(now),
                        order.reason(),
                        order.notifyUrl(),
                        order.refund(),
                        now,
                        order.goods(),
                        order.raw());
        trade.refunded += order.refund();
        trade.state = TradeState.REFUND;
        refunds.put(refundKey, refund);
        return refund;
    }

    private Trade tradeForRefund(String mchid, RefundOrder order) {
        if (order.outTradeNo() != null) {
            Trade trade = trades.get(key(mchid, order.subMchid(), order.outTradeNo()));
            if (trade != null
                    && (order.transactionId() == null
                            || order.transactionId().equals(trade.transactionId))) {
                return trade;
            }
        } else {
            for (Trade trade : trades.values()) {
                if (trade.mchid.equals(mchid)
                        && order.transactionId().equals(trade.transactionId)) {
                    return trade;
                }
            }
        }
        throw new PayApiException(404, "RESOURCE_NOT_EXISTS", "订单不存在");
    }

    synchronized RefundRecord requireRefund(String mchid, String subMchid, String outRefundNo) {
        RefundRecord refund = refunds.get(key(mchid, subMchid, outRefundNo));
        if (refund == null) {
            throw new PayApiException(404, "RESOURCE_NOT_EXISTS", "退款单不存在");
        }
        return refund;
    }

    /**
     * Ends a PROCESSING refund; returns false if it had already ended. A refund that does not
     * succeed gives its amount back to the refundable balance.
     */
    synchronized boolean completeRefund(RefundRecord refund, RefundStatus status) {
        if (status == RefundStatus.PROCESSING) {
            throw new IllegalArgumentException("a refund cannot be completed as PROCESSING");
        }
        if (refund.status != RefundStatus.PROCESSING) {
            return false;
        }
        refund.status = status;
        if (status == RefundStatus.SUCCESS) {
            refund.successTime = clock.instant();
        } else {
            refund.trade.refunded -= refund.amount;
        }
        return true;
    }

    synchronized List<Trade> trades(String mchid) {
        return trades.values().stream().filter(t -> t.mchid.equals(mchid)).toList();
    }

    synchronized List<RefundRecord> refunds(String mchid) {
        return refunds.values().stream().filter(r -> r.trade.mchid.equals(mchid)).toList();
    }

    synchronized List<TradeView> tradeViews() {
        List<TradeView> views = new ArrayList<>();
        trades.values().forEach(t -> views.add(t.view()));
        return views;
    }

    synchronized List<RefundView> refundViews() {
        List<RefundView> views = new ArrayList<>();
        refunds.values().forEach(r -> views.add(r.view()));
        return views;
    }

    /** Runs {@code action} under the book's lock, for consistent reads of a trade's fields. */
    synchronized <T> T read(java.util.function.Supplier<T> action) {
        return action.get();
    }
}
