package io.scanorder.payment;

import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.GoodsDetail;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scanorder.payment.PaymentException.Reason;
import io.scanorder.payment.money.Amount;
import io.scanorder.payment.money.AmountLimits;
import io.scanorder.payment.orders.OrderNotifier;
import io.scanorder.payment.orders.RefundApprovals;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundRecord;
import io.scanorder.payment.store.RefundState;
import io.scanorder.payment.store.RiskLimits;
import io.scanorder.payment.store.StateReport;
import io.scanorder.payment.store.StoreException;
import io.scanorder.payment.wechat.OutRefundNo;
import io.scanorder.payment.wechat.OutTradeNo;
import io.scanorder.payment.wechat.WeChatErrors;
import io.scanorder.payment.wechat.WeChatPayGateway;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The payment domain: JSAPI prepay, query, close, refund and refund query against WeChat Pay, and
 * applying WeChat's notifications. Every operation is idempotent by its merchant number
 * (out_trade_no, out_refund_no), and what WeChat reports only moves stored state forward.
 */
@ApplicationScoped
public class Payments {
    private static final Logger LOG = Logger.getLogger(Payments.class);
    private static final Pattern STORE_CODE = Pattern.compile("[0-9]{3}");

    /** WeChat Pay writes times as RFC 3339 in China Standard Time, to the second. */
    private static final DateTimeFormatter WECHAT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private final PaymentStore store;
    private final WeChatPayGateway wechat;
    private final AmountLimits limits;
    private final OrderNotifier orderNotifier;
    private final RiskLimits risk;
    private final RefundApprovals approvals;
    private final Map<String, Counter> limited = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    Payments(
            PaymentStore store,
            WeChatPayGateway wechat,
            OrderNotifier orderNotifier,
            RefundApprovals approvals,
            MeterRegistry registry,
            @ConfigProperty(
                            name = "scanorder.payment.limits.max-order-fen",
                            defaultValue = "500000")
                    long maxOrderFen,
            @ConfigProperty(name = "scanorder.payment.risk.per-payer.max", defaultValue = "10")
                    int perPayerMax,
            @ConfigProperty(
                            name = "scanorder.payment.risk.per-payer.window",
                            defaultValue = "PT10M")
                    Duration perPayerWindow,
            @ConfigProperty(name = "scanorder.payment.risk.per-device.max", defaultValue = "20")
                    int perDeviceMax,
            @ConfigProperty(
                            name = "scanorder.payment.risk.per-device.window",
                            defaultValue = "PT10M")
                    Duration perDeviceWindow) {
        this.store = store;
        this.wechat = wechat;
        this.orderNotifier = orderNotifier;
        this.approvals = approvals;
        this.registry = registry;
        this.limits = AmountLimits.upTo(Amount.ofFen(maxOrderFen));
        this.risk =
                new RiskLimits(
                        new RiskLimits.Limit(perPayerMax, perPayerWindow),
                        new RiskLimits.Limit(perDeviceMax, perDeviceWindow));
    }

    /**
     * Input of {@link #prepay}; {@code expiresAt} may be null (WeChat's default, 2 hours), and so
     * may {@code deviceFingerprint} (then only the per-payer rate limit applies).
     */
    public record PrepayCommand(
            String storeCode,
            String outTradeNo,
            String orderId,
            String description,
            long amountFen,
            String payerOpenid,
            Instant expiresAt,
            String deviceFingerprint) {

        /** A command without a device fingerprint. */
        public PrepayCommand(
                String storeCode,
                String outTradeNo,
                String orderId,
                String description,
                long amountFen,
                String payerOpenid,
                Instant expiresAt) {
            this(
                    storeCode,
                    outTradeNo,
                    orderId,
                    description,
                    amountFen,
                    payerOpenid,
                    expiresAt,
                    null);
        }
    }

    /** The prepay id and the signed arguments of {@code wx.requestPayment}. */
    public record Prepaid(
            String prepayId, String outTradeNo, PrepayWithRequestPaymentResponse pay) {}

    /**
     * Input of {@link #refund}.
     *
     * @param goods refunded items of a single-item refund (WeChat Pay goods_detail); empty for a
     *     refund of an amount
     */
    public record RefundCommand(
            String storeCode,
            String outTradeNo,
            String outRefundNo,
            long refundFen,
            long totalFen,
            String reason,
            List<RefundGoods> goods) {

        /** A refund of an amount, without goods. */
        public RefundCommand(
                String storeCode,
                String outTradeNo,
                String outRefundNo,
                long refundFen,
                long totalFen,
                String reason) {
            this(storeCode, outTradeNo, outRefundNo, refundFen, totalFen, reason, List.of());
        }

        public RefundCommand {
            goods = goods == null ? List.of() : List.copyOf(goods);
        }
    }

    /**
     * One refunded item of a single-item refund.
     *
     * @param merchantGoodsId the merchant's item id (the SKU code), 1-32 characters
     * @param goodsName optional item name, at most 256 characters
     */
    public record RefundGoods(
            String merchantGoodsId,
            String goodsName,
            long unitPriceFen,
            int refundQuantity,
            long refundFen) {}

    public Prepaid prepay(PrepayCommand c) {
        requireStoreCode(c.storeCode());
        OutTradeNo outTradeNo = parseOutTradeNo(c.outTradeNo());
        requireText("order_id", c.orderId(), 64);
        requireText("description", c.description(), 127);
        requireText("payer_openid", c.payerOpenid(), 128);
        Amount amount = checkAmount(c.amountFen());
        Instant expiresAt =
                c.expiresAt() == null ? null : c.expiresAt().truncatedTo(ChronoUnit.SECONDS);
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT, "expires_at " + expiresAt + " is not in the future");
        }
        PaymentRecord wanted =
                new PaymentRecord(
                        outTradeNo.value(),
                        c.storeCode(),
                        c.orderId(),
                        c.description(),
                        amount.fen(),
                        c.payerOpenid(),
                        expiresAt,
                        null,
                        PaymentState.NOT_PAID,
                        null,
                        null,
                        null,
                        null);
        String device = blankToNull(c.deviceFingerprint());
        if (device != null) {
            requireText("device_fingerprint", device, 128);
        }
        PaymentRecord stored = insertWithinRiskLimits(wanted, device);
        requireSameOrder(stored, wanted);
        if (stored.state().isPaid()) {
            throw new PaymentException(
                    Reason.FAILED_PRECONDITION,
                    "out_trade_no " + outTradeNo + " is already paid; refund it instead");
        }
        if (stored.state() == PaymentState.CLOSED) {
            throw new PaymentException(
                    Reason.FAILED_PRECONDITION,
                    "out_trade_no "
                            + outTradeNo
                            + " is closed; pay again as "
                            + outTradeNo.nextAttempt());
        }
        PrepayWithRequestPaymentResponse response;
        try {
            response = wechat.prepay(prepayRequest(stored));
        } catch (RuntimeException e) {
            PaymentException failure = translate("prepay out_trade_no=" + outTradeNo, e);
            if (failure.getMessage().contains("ORDERPAID")
                    || failure.getMessage().contains("ORDER_CLOSED")) {
                refreshQuietly(stored.outTradeNo());
            }
            throw failure;
        }
        String prepayId = response.getPackageVal().substring("prepay_id=".length());
        if (!prepayId.equals(stored.prepayId())) {
            db(() -> store.setPrepayId(stored.outTradeNo(), prepayId));
        }
        return new Prepaid(prepayId, stored.outTradeNo(), response);
    }

    /**
     * Inserts a new payment unless its payer or device started too many within the window (one
     * atomic statement); returns the stored payment, new or earlier.
     */
    private PaymentRecord insertWithinRiskLimits(PaymentRecord wanted, String device) {
        for (int attempt = 0; attempt < 3; attempt++) {
            db(() -> store.insertIfAbsent(wanted, device, risk));
            Optional<PaymentRecord> stored = db(() -> store.find(wanted.outTradeNo()));
            if (stored.isPresent()) {
                return stored.get();
            }
            Optional<RiskLimits.Exceeded> over =
                    db(() -> store.exceeded(wanted.payerOpenid(), device, risk));
            if (over.isPresent()) {
                RiskLimits.Exceeded x = over.get();
                limited.computeIfAbsent(
                                x.who(),
                                who ->
                                        Counter.builder("scanorder.payment.prepay.limited")
                                                .description(
                                                        "Prepays refused by a rate limit, by"
                                                                + " limit")
                                                .tag("limit", who)
                                                .register(registry))
                        .increment();
                long seconds = Math.max(1, (x.retryAfter().toMillis() + 999) / 1000);
                LOG.warnf(
                        "prepay %s refused: %s rate limit reached (%d payments in %s)",
                        wanted.outTradeNo(), x.who(), x.count(), x.limit().window());
                throw new PaymentException(
                        Reason.RESOURCE_EXHAUSTED,
                        "too many payments started by this "
                                + x.who()
                                + ": "
                                + x.count()
                                + " within "
                                + x.limit().window().toMinutes()
                                + " min (limit "
                                + x.limit().max()
                                + "); retry after "
                                + seconds
                                + " s");
            }
            // The window moved on between the insert and the check: try again.
        }
        throw new PaymentException(
                Reason.UNAVAILABLE,
                "out_trade_no " + wanted.outTradeNo() + " could not be stored; retry");
    }

    /**
     * The payment as recorded when it is settled (paid, refunded or closed: WeChat has nothing
     * newer to say that this service would not learn itself), else as WeChat Pay reports it now,
     * recorded.
     */
    public PaymentRecord query(String storeCode, String outTradeNo) {
        requireStoreCode(storeCode);
        String no = parseOutTradeNo(outTradeNo).value();
        PaymentRecord stored = existing(no);
        if (stored.state().isPaid() || stored.state() == PaymentState.CLOSED) {
            return stored;
        }
        Transaction t = sdk("query out_trade_no=" + no, () -> wechat.query(no));
        db(() -> apply(no, report(t)));
        return existing(no);
    }

    /** Closes an unpaid payment; closing a closed one is a no-op. */
    public PaymentRecord close(String storeCode, String outTradeNo) {
        requireStoreCode(storeCode);
        String no = parseOutTradeNo(outTradeNo).value();
        PaymentRecord p = existing(no);
        if (p.state().isPaid()) {
            throw new PaymentException(
                    Reason.FAILED_PRECONDITION,
                    "out_trade_no " + no + " is already paid; refund it instead of closing");
        }
        if (p.state() == PaymentState.CLOSED) {
            return p;
        }
        try {
            wechat.close(no);
        } catch (RuntimeException e) {
            PaymentException failure = translate("close out_trade_no=" + no, e);
            if (failure.getMessage().contains("ORDERPAID")) {
                // Paid between our last look and the close: record the payment, then refuse.
                refreshQuietly(no);
            }
            throw failure;
        }
        db(() -> store.apply(no, new StateReport(PaymentState.CLOSED, "closed", null, null, null)));
        return existing(no);
    }

    /**
     * Refunds what the order service asks for, once the order's own record allows it ({@link
     * RefundApprovals}); a repeat of a refund already sent is answered without asking again.
     */
    public RefundRecord refund(RefundCommand c) {
        return refund(c, true);
    }

    /**
     * Refunds a payment the order service refused (its order was closed, cancelled or paid by
     * another transaction): decided by this service, so there is no order-side refund to check.
     */
    public RefundRecord refundRefusedPayment(RefundCommand c) {
        return refund(c, false);
    }

    private RefundRecord refund(RefundCommand c, boolean checkOrder) {
        requireStoreCode(c.storeCode());
        OutTradeNo outTradeNo = parseOutTradeNo(c.outTradeNo());
        OutRefundNo outRefundNo;
        try {
            outRefundNo = OutRefundNo.parse(c.outRefundNo());
        } catch (IllegalArgumentException e) {
            throw new PaymentException(Reason.INVALID_ARGUMENT, e.getMessage());
        }
        if (!outRefundNo.orderId().equals(outTradeNo.orderId())) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT,
                    "out_refund_no "
                            + outRefundNo
                            + " belongs to order "
                            + outRefundNo.orderId()
                            + ", not to out_trade_no "
                            + outTradeNo);
        }
        if (c.refundFen() < 1) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT, "refund_fen must be at least 1, got " + c.refundFen());
        }
        if (c.reason() != null && c.reason().length() > 80) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT,
                    "reason must be at most 80 characters, got " + c.reason().length());
        }
        checkGoods(c.goods(), c.refundFen());
        PaymentRecord payment = existing(outTradeNo.value());
        if (c.totalFen() != payment.amountFen()) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT,
                    "total_fen "
                            + c.totalFen()
                            + " does not match amount_fen "
                            + payment.amountFen()
                            + " of out_trade_no "
                            + outTradeNo);
        }
        RefundRecord wanted =
                new RefundRecord(
                        outRefundNo.value(),
                        outTradeNo.value(),
                        c.refundFen(),
                        blankToNull(c.reason()),
                        null,
                        RefundState.PROCESSING,
                        null);
        RefundRecord known = db(() -> store.findRefund(wanted.outRefundNo())).orElse(null);
        if (known == null) {
            if (!payment.state().isPaid()) {
                // The notification may still be on its way: ask WeChat before refusing.
                payment = query(c.storeCode(), outTradeNo.value());
            }
            if (!payment.state().isPaid()) {
                throw new PaymentException(
                        Reason.FAILED_PRECONDITION,
                        "out_trade_no "
                                + outTradeNo
                                + " is "
                                + payment.state()
                                + "; only paid payments can be refunded");
            }
            if (checkOrder) {
                approvals.check(c, payment);
            }
            if (!db(() -> store.reserveRefund(wanted))) {
                known = db(() -> store.findRefund(wanted.outRefundNo())).orElse(null);
                if (known == null) {
                    long refunded = db(() -> store.refundedFen(outTradeNo.value()));
                    throw new PaymentException(
                            Reason.OUT_OF_RANGE,
                            "refund_fen "
                                    + c.refundFen()
                                    + " exceeds what is left to refund of out_trade_no "
                                    + outTradeNo
                                    + ": paid "
                                    + payment.amountFen()
                                    + " fen, refunded or being refunded "
                                    + refunded
                                    + " fen, refundable "
                                    + Math.max(0, payment.amountFen() - refunded)
                                    + " fen");
                }
            }
        }
        if (known != null) {
            if (!known.outTradeNo().equals(wanted.outTradeNo())
                    || known.refundFen() != wanted.refundFen()) {
                throw new PaymentException(
                        Reason.ALREADY_EXISTS,
                        "out_refund_no "
                                + known.outRefundNo()
                                + " was already used for "
                                + known.refundFen()
                                + " fen of out_trade_no "
                                + known.outTradeNo()
                                + "; use the next refund sequence number");
            }
            if (known.refundId() != null) {
                return known;
            }
            // Reserved earlier but WeChat's answer never arrived: send the same request again.
        }
        String operation = "refund out_refund_no=" + wanted.outRefundNo();
        Refund refund;
        try {
            refund = wechat.refund(refundRequest(wanted, payment.amountFen(), known, c.goods()));
        } catch (RuntimeException e) {
            PaymentException failure = translate(operation, e);
            if (failure.reason() != Reason.UNAVAILABLE && failure.reason() != Reason.INTERNAL) {
                // WeChat refused for certain: the reserved amount is refundable again.
                db(() -> store.releaseRefund(wanted.outRefundNo()));
            }
            throw failure;
        }
        recordRefund(refundRecord(refund, wanted.reason()));
        return existingRefund(wanted.outRefundNo());
    }

    /** The refund as WeChat Pay reports it now, recorded. */
    public RefundRecord queryRefund(String storeCode, String outRefundNo) {
        requireStoreCode(storeCode);
        RefundRecord known = existingRefund(outRefundNo);
        Refund refund =
                sdk(
                        "query refund out_refund_no=" + outRefundNo,
                        () -> wechat.queryRefund(outRefundNo));
        recordRefund(refundRecord(refund, known.reason()));
        return existingRefund(outRefundNo);
    }

    /** Applies a verified TRANSACTION.* notification; false if it changed nothing (a repeat). */
    public boolean onTransaction(Transaction t) {
        requireOurs(t.getMchid(), t.getAppid());
        String no = t.getOutTradeNo();
        if (no == null || db(() -> store.find(no)).isEmpty()) {
            throw new UnknownPaymentException("out_trade_no " + no + " is not known here");
        }
        return db(() -> apply(no, report(t)));
    }

    /** Applies a verified REFUND.* notification; false if it changed nothing (a repeat). */
    public boolean onRefund(RefundNotification n) {
        String no = n.getOutTradeNo();
        if (no == null || db(() -> store.find(no)).isEmpty()) {
            throw new UnknownPaymentException(
                    "refund "
                            + n.getOutRefundNo()
                            + " is for out_trade_no "
                            + no
                            + ", which is not known here");
        }
        RefundState state = RefundState.fromWeChat(n.getRefundStatus().name());
        RefundRecord r =
                new RefundRecord(
                        n.getOutRefundNo(),
                        no,
                        n.getAmount().getRefund(),
                        null,
                        n.getRefundId(),
                        state,
                        parseTime(n.getSuccessTime()));
        boolean changed = db(() -> store.applyRefund(r));
        if (changed && state.rank() == RefundState.SUCCESS.rank()) {
            orderNotifier.wake();
        }
        if (state == RefundState.SUCCESS) {
            // The refund proves the payment: a refund notification can overtake the payment's.
            changed |=
                    db(
                            () ->
                                    apply(
                                            no,
                                            new StateReport(
                                                    PaymentState.REFUNDED,
                                                    "refunded",
                                                    n.getTransactionId(),
                                                    null,
                                                    null)));
        }
        return changed;
    }

    /** A notification names a payment this service never created. */
    public static class UnknownPaymentException extends RuntimeException {
        UnknownPaymentException(String message) {
            super(message);
        }
    }

    // --- helpers ----------------------------------------------------------------------------

    /**
     * Applies a report; a payment that became paid has its order notice written by the same
     * statement, and the notifier is woken to deliver it now rather than at its next tick.
     */
    private boolean apply(String outTradeNo, StateReport report) {
        boolean changed = store.apply(outTradeNo, report);
        if (changed && report.state().isPaid()) {
            orderNotifier.wake();
        }
        return changed;
    }

    private void recordRefund(RefundRecord r) {
        if (db(() -> store.applyRefund(r)) && r.state().rank() == RefundState.SUCCESS.rank()) {
            // A final outcome wrote its refund notice: deliver it now, not at the next tick.
            orderNotifier.wake();
        }
        if (r.state() == RefundState.SUCCESS) {
            db(
                    () ->
                            apply(
                                    r.outTradeNo(),
                                    new StateReport(
                                            PaymentState.REFUNDED, "refunded", null, null, null)));
        }
    }

    private PrepayRequest prepayRequest(PaymentRecord p) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(wechat.appId());
        request.setMchid(wechat.mchId());
        request.setDescription(p.description());
        request.setOutTradeNo(p.outTradeNo());
        request.setNotifyUrl(wechat.notifyUrl());
        if (p.expiresAt() != null) {
            request.setTimeExpire(WECHAT_TIME.format(p.expiresAt().atZone(CHINA)));
        }
        com.wechat.pay.java.service.payments.jsapi.model.Amount amount =
                new com.wechat.pay.java.service.payments.jsapi.model.Amount();
        amount.setTotal(Math.toIntExact(p.amountFen()));
        amount.setCurrency(Amount.CURRENCY);
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setOpenid(p.payerOpenid());
        request.setPayer(payer);
        return request;
    }

    /**
     * A single-item refund's goods must be what WeChat Pay accepts and must account for the whole
     * refund: every line complete, each line's amount within its unit price times quantity, and the
     * lines adding up to refund_fen exactly (so the goods say what the money is for).
     */
    private static void checkGoods(List<RefundGoods> goods, long refundFen) {
        long sum = 0;
        for (int i = 0; i < goods.size(); i++) {
            RefundGoods g = goods.get(i);
            String at = "goods[" + i + "]";
            if (g.merchantGoodsId() == null
                    || g.merchantGoodsId().isBlank()
                    || g.merchantGoodsId().length() > 32) {
                throw new PaymentException(
                        Reason.INVALID_ARGUMENT,
                        at
                                + ".merchant_goods_id must be 1-32 characters, got '"
                                + g.merchantGoodsId()
                                + "'");
            }
            if (g.goodsName() != null && g.goodsName().length() > 256) {
                throw new PaymentException(
                        Reason.INVALID_ARGUMENT, at + ".goods_name must be at most 256 characters");
            }
            if (g.unitPriceFen() < 1) {
                throw new PaymentException(
                        Reason.INVALID_ARGUMENT,
                        at + ".unit_price_fen must be at least 1, got " + g.unitPriceFen());
            }
            if (g.refundQuantity() < 1) {
                throw new PaymentException(
                        Reason.INVALID_ARGUMENT,
                        at + ".refund_quantity must be at least 1, got " + g.refundQuantity());
            }
            if (g.refundFen() < 1) {
                throw new PaymentException(
                        Reason.INVALID_ARGUMENT,
                        at + ".refund_fen must be at least 1, got " + g.refundFen());
            }
            long most = Math.multiplyExact(g.unitPriceFen(), (long) g.refundQuantity());
            if (g.refundFen() > most) {
                throw new PaymentException(
                        Reason.INVALID_ARGUMENT,
                        at
                                + ".refund_fen "
                                + g.refundFen()
                                + " exceeds unit_price_fen "
                                + g.unitPriceFen()
                                + " x refund_quantity "
                                + g.refundQuantity()
                                + " = "
                                + most
                                + " for merchant_goods_id "
                                + g.merchantGoodsId());
            }
            sum += g.refundFen();
        }
        if (!goods.isEmpty() && sum != refundFen) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT,
                    "goods: their refund_fen add up to "
                            + sum
                            + " fen but refund_fen is "
                            + refundFen
                            + "; a single-item refund must account for the whole amount");
        }
    }

    private CreateRequest refundRequest(
            RefundRecord r, long totalFen, RefundRecord known, List<RefundGoods> goods) {
        CreateRequest request = new CreateRequest();
        request.setOutTradeNo(r.outTradeNo());
        request.setOutRefundNo(r.outRefundNo());
        // A resent request must be byte-for-byte the first one: WeChat compares them.
        String reason = known != null ? known.reason() : r.reason();
        if (reason != null) {
            request.setReason(reason);
        }
        request.setNotifyUrl(wechat.notifyUrl());
        AmountReq amount = new AmountReq();
        amount.setRefund(r.refundFen());
        amount.setTotal(totalFen);
        amount.setCurrency(Amount.CURRENCY);
        request.setAmount(amount);
        if (!goods.isEmpty()) {
            List<GoodsDetail> details = new ArrayList<>();
            for (RefundGoods g : goods) {
                GoodsDetail d = new GoodsDetail();
                d.setMerchantGoodsId(g.merchantGoodsId());
                if (g.goodsName() != null && !g.goodsName().isBlank()) {
                    d.setGoodsName(g.goodsName());
                }
                d.setUnitPrice(g.unitPriceFen());
                d.setRefundQuantity(g.refundQuantity());
                d.setRefundAmount(g.refundFen());
                details.add(d);
            }
            request.setGoodsDetail(details);
        }
        return request;
    }

    private static StateReport report(Transaction t) {
        PaymentState state = PaymentState.fromWeChat(t.getTradeState().name());
        boolean paid = state.isPaid();
        Long payerTotal =
                paid && t.getAmount() != null && t.getAmount().getPayerTotal() != null
                        ? Long.valueOf(t.getAmount().getPayerTotal())
                        : null;
        return new StateReport(
                state,
                t.getTradeStateDesc(),
                paid ? t.getTransactionId() : null,
                payerTotal,
                paid ? parseTime(t.getSuccessTime()) : null);
    }

    private static RefundRecord refundRecord(Refund r, String reason) {
        return new RefundRecord(
                r.getOutRefundNo(),
                r.getOutTradeNo(),
                r.getAmount().getRefund(),
                reason,
                r.getRefundId(),
                RefundState.fromWeChat(r.getStatus().name()),
                parseTime(r.getSuccessTime()));
    }

    private static Instant parseTime(String rfc3339) {
        return rfc3339 == null || rfc3339.isBlank()
                ? null
                : OffsetDateTime.parse(rfc3339).toInstant();
    }

    private void requireOurs(String mchid, String appid) {
        if (!wechat.mchId().equals(mchid) || !wechat.appId().equals(appid)) {
            throw new UnknownPaymentException(
                    "notification for merchant " + mchid + " / app " + appid + ", not this one");
        }
    }

    private void refreshQuietly(String outTradeNo) {
        try {
            Transaction t = wechat.query(outTradeNo);
            apply(outTradeNo, report(t));
        } catch (RuntimeException e) {
            LOG.warnf(
                    "could not refresh out_trade_no=%s from WeChat Pay: %s",
                    outTradeNo, e.getClass().getSimpleName());
        }
    }

    private PaymentRecord existing(String outTradeNo) {
        return db(() -> store.find(outTradeNo))
                .orElseThrow(
                        () ->
                                new PaymentException(
                                        Reason.NOT_FOUND,
                                        "out_trade_no "
                                                + outTradeNo
                                                + " is unknown; create it with Prepay first"));
    }

    private RefundRecord existingRefund(String outRefundNo) {
        return db(() -> store.findRefund(outRefundNo))
                .orElseThrow(
                        () ->
                                new PaymentException(
                                        Reason.NOT_FOUND,
                                        "out_refund_no " + outRefundNo + " is unknown"));
    }

    private static void requireSameOrder(PaymentRecord stored, PaymentRecord wanted) {
        if (stored.amountFen() != wanted.amountFen()
                || !stored.description().equals(wanted.description())
                || !stored.payerOpenid().equals(wanted.payerOpenid())
                || !stored.orderId().equals(wanted.orderId())
                || !Objects.equals(stored.expiresAt(), wanted.expiresAt())) {
            throw new PaymentException(
                    Reason.ALREADY_EXISTS,
                    "out_trade_no "
                            + stored.outTradeNo()
                            + " was already used for order "
                            + stored.orderId()
                            + " with amount_fen "
                            + stored.amountFen()
                            + " (and its own description, payer and expiry); a changed order"
                            + " needs the next attempt number");
        }
    }

    private Amount checkAmount(long fen) {
        if (fen < 1) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT, "amount_fen must be at least 1, got " + fen);
        }
        Amount amount = Amount.ofFen(fen);
        try {
            return limits.check("amount_fen", amount);
        } catch (IllegalArgumentException e) {
            throw new PaymentException(Reason.OUT_OF_RANGE, e.getMessage());
        }
    }

    private static OutTradeNo parseOutTradeNo(String value) {
        try {
            return OutTradeNo.parse(value);
        } catch (IllegalArgumentException e) {
            throw new PaymentException(Reason.INVALID_ARGUMENT, e.getMessage());
        }
    }

    private static void requireStoreCode(String storeCode) {
        if (storeCode == null || !STORE_CODE.matcher(storeCode).matches()) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT,
                    "store_code must be 3 digits, got '" + storeCode + "'");
        }
    }

    private static void requireText(String field, String value, int maxUtf8Bytes) {
        if (value == null || value.isBlank()) {
            throw new PaymentException(Reason.INVALID_ARGUMENT, field + " is required");
        }
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > maxUtf8Bytes) {
            throw new PaymentException(
                    Reason.INVALID_ARGUMENT,
                    field
                            + " is "
                            + bytes
                            + " bytes in UTF-8, at most "
                            + maxUtf8Bytes
                            + " allowed");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private PaymentException translate(String operation, RuntimeException e) {
        if (e instanceof StoreException s) {
            return new PaymentException(Reason.UNAVAILABLE, operation + ": " + s.getMessage(), s);
        }
        return WeChatErrors.translate(operation, e, wechat.baseUrl().toString());
    }

    private <T> T sdk(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw translate(operation, e);
        }
    }

    private static <T> T db(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw new PaymentException(
                    Reason.UNAVAILABLE,
                    "the payment database is unavailable; retrying the same request is safe ("
                            + e.getMessage()
                            + ")",
                    e);
        }
    }

    private static void db(Runnable call) {
        db(
                () -> {
                    call.run();
                    return null;
                });
    }
}
