package io.scanorder.wechatsim.pay;

import io.scanorder.wechatsim.pay.crypto.PlatformIdentity;
import io.scanorder.wechatsim.pay.notify.Delivery;
import io.scanorder.wechatsim.pay.notify.DeliveryControls;
import io.scanorder.wechatsim.pay.notify.Forgery;
import io.scanorder.wechatsim.pay.notify.Notifier;
import io.scanorder.wechatsim.pay.notify.OutgoingNotification;
import io.scanorder.wechatsim.pay.notify.RetrySchedule;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The simulated WeChat Pay platform as tests drive it: merchants, the payer's side (paying or
 * failing), refund outcomes, notification delivery controls and inspection of trades, refunds and
 * deliveries. The HTTP side ({@link PayApi}) and the control API share this state.
 *
 * <pre>{@code
 * PaySimulator pay = wechat.pay();
 * pay.registerMerchant("1900000109", "wx5f3c1b2a9d8e7f60", merchantPublicKey, "5157F0...", apiV3Key);
 * // the payment service calls POST /v3/pay/transactions/jsapi with out_trade_no "T1001" ...
 * pay.pay("1900000109", "T1001");           // TRANSACTION.SUCCESS goes to its notify_url
 * assertThat(pay.deliveries()).anyMatch(d -> d.outcome() == DeliveryOutcome.ACKNOWLEDGED);
 * }</pre>
 */
public final class PaySimulator implements AutoCloseable {
    private final PlatformIdentity platform;
    private final MerchantRegistry merchants = new MerchantRegistry();
    private final TradeBook book;
    private final ResponseSigner signer;
    private final RequestAuthenticator authenticator;
    private final Notifier notifier;
    private volatile RefundCompletion refundCompletion = RefundCompletion.AUTOMATIC;

    public PaySimulator(Clock clock) {
        this.platform = PlatformIdentity.generate(clock.instant());
        this.book = new TradeBook(clock);
        this.signer = new ResponseSigner(platform, clock);
        this.authenticator = new RequestAuthenticator(merchants, clock);
        this.notifier = new Notifier(signer, clock);
    }

    /** Registers a merchant that verifies WeChat's signatures with downloaded certificates. */
    public PaySimulator registerMerchant(
            String mchid,
            String appid,
            PublicKey merchantPublicKey,
            String merchantSerial,
            String apiV3Key) {
        return registerMerchant(
                new Merchant(
                        mchid,
                        appid,
                        merchantPublicKey,
                        merchantSerial,
                        apiV3Key,
                        VerificationMode.PLATFORM_CERTIFICATE));
    }

    /** Registers (or replaces) a merchant or service provider. */
    public PaySimulator registerMerchant(Merchant merchant) {
        merchants.register(merchant);
        return this;
    }

    /** Lets service provider {@code spMchid} place orders for {@code subMchid}. */
    public PaySimulator registerSubMerchant(String spMchid, String subMchid) {
        merchants.registerSubMerchant(spMchid, subMchid);
        return this;
    }

    /** The platform key, its certificate and serial, and its public key id. */
    public PlatformIdentity platform() {
        return platform;
    }

    /** The payer pays a direct merchant's order. */
    public TradeView pay(String mchid, String outTradeNo) {
        return pay(mchid, null, outTradeNo, PayOutcome.SUCCESS);
    }

    public TradeView pay(String mchid, String outTradeNo, PayOutcome outcome) {
        return pay(mchid, null, outTradeNo, outcome);
    }

    /**
     * The payer acts on an order; {@code subMchid} is null for direct merchants. Payment success
     * notifies the order's notify_url.
     *
     * @throws IllegalArgumentException if there is no such order
     * @throws IllegalStateException if it is paid or closed already
     */
    public TradeView pay(String mchid, String subMchid, String outTradeNo, PayOutcome outcome) {
        Trade trade = existingTrade(mchid, subMchid, outTradeNo);
        if (book.settle(trade, outcome)) {
            notifier.submit(transactionNotification(trade));
        }
        return book.read(trade::view);
    }

    /** Sends one forged TRANSACTION.SUCCESS for the order; returns the receiver's HTTP status. */
    public int sendForgedNotification(String mchid, String outTradeNo, Forgery forgery) {
        return sendForgedNotification(mchid, null, outTradeNo, forgery);
    }

    /** As {@link #sendForgedNotification(String, String, Forgery)} for a sub-merchant's order. */
    public int sendForgedNotification(
            String mchid, String subMchid, String outTradeNo, Forgery forgery) {
        return notifier.sendForged(
                transactionNotification(existingTrade(mchid, subMchid, outTradeNo)), forgery);
    }

    private Trade existingTrade(String mchid, String subMchid, String outTradeNo) {
        return book.find(mchid, subMchid, outTradeNo)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "no order out_trade_no="
                                                + outTradeNo
                                                + " for mchid="
                                                + mchid
                                                + (subMchid == null
                                                        ? ""
                                                        : " sub_mchid=" + subMchid)));
    }

    private OutgoingNotification transactionNotification(Trade trade) {
        Merchant merchant = merchants.find(trade.mchid).orElseThrow();
        return notifier.create(
                merchant,
                trade.notifyUrl,
                "TRANSACTION.SUCCESS",
                "支付成功",
                "transaction",
                trade.outTradeNo,
                book.read(() -> PayJson.transaction(trade)));
    }

    public PaySimulator refundCompletion(RefundCompletion completion) {
        this.refundCompletion = completion;
        return this;
    }

    /** Ends a PROCESSING refund (MANUAL completion) and notifies its notify_url, if it had one. */
    public RefundView completeRefund(
            String mchid, String subMchid, String outRefundNo, RefundStatus status) {
        RefundRecord refund;
        try {
            refund = book.requireRefund(mchid, subMchid, outRefundNo);
        } catch (PayApiException e) {
            throw new IllegalArgumentException(
                    "no refund out_refund_no=" + outRefundNo + " for mchid=" + mchid);
        }
        if (!book.completeRefund(refund, status)) {
            throw new IllegalStateException(
                    "refund "
                            + outRefundNo
                            + " already ended as "
                            + book.read(() -> refund.status));
        }
        notifyRefund(refund);
        return book.read(refund::view);
    }

    /** Called by the API once a refund is accepted and answered. */
    void refundAccepted(RefundRecord refund) {
        if (refundCompletion == RefundCompletion.AUTOMATIC
                && book.completeRefund(refund, RefundStatus.SUCCESS)) {
            notifyRefund(refund);
        }
    }

    private void notifyRefund(RefundRecord refund) {
        if (refund.notifyUrl == null) {
            return; // WeChat would use the URL configured on the merchant platform; there is none
        }
        Merchant merchant = merchants.find(refund.trade.mchid).orElseThrow();
        RefundStatus status = book.read(() -> refund.status);
        notifier.submit(
                notifier.create(
                        merchant,
                        refund.notifyUrl,
                        status.eventType(),
                        status.summary(),
                        "refund",
                        refund.outRefundNo,
                        book.read(() -> PayJson.refundNotification(refund))));
    }

    public List<TradeView> trades() {
        return book.tradeViews();
    }

    public Optional<TradeView> trade(String mchid, String outTradeNo) {
        return trade(mchid, null, outTradeNo);
    }

    /** A service provider's order for {@code subMchid} (null: a direct merchant's order). */
    public Optional<TradeView> trade(String mchid, String subMchid, String outTradeNo) {
        return book.find(mchid, subMchid, outTradeNo).map(t -> book.read(t::view));
    }

    public List<RefundView> refunds() {
        return book.refundViews();
    }

    /** Controls over notification delivery: drop, suppress, delay, duplicate, hold and reorder. */
    public DeliveryControls notifications() {
        return notifier.controls();
    }

    /** Every notification delivery attempt so far, in order. */
    public List<Delivery> deliveries() {
        return notifier.deliveries();
    }

    /**
     * Changes when unacknowledged notifications are re-sent, e.g. {@code wechat().scaled(0.001)}.
     */
    public PaySimulator retrySchedule(RetrySchedule schedule) {
        notifier.schedule(schedule);
        return this;
    }

    MerchantRegistry merchants() {
        return merchants;
    }

    TradeBook book() {
        return book;
    }

    ResponseSigner signer() {
        return signer;
    }

    RequestAuthenticator authenticator() {
        return authenticator;
    }

    @Override
    public void close() {
        notifier.close();
    }
}
