package io.scanorder.payment.wechat;

import com.wechat.pay.java.core.RSAAutoCertificateConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.billdownload.BillDownloadServiceExtension;
import com.wechat.pay.java.service.billdownload.DigestBillEntity;
import com.wechat.pay.java.service.billdownload.model.BillType;
import com.wechat.pay.java.service.billdownload.model.GetTradeBillRequest;
import com.wechat.pay.java.service.billdownload.model.TarType;
import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import com.wechat.pay.java.service.payments.jsapi.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.RefundService;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scanorder.payment.config.Merchant;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The official wechatpay-java SDK, configured for the merchant: JSAPI payments, refunds and
 * notification parsing. In service-provider mode it calls the partner APIs ({@code
 * partnerpayments}) for the configured sub-merchant and refunds with {@code sub_mchid}, translating
 * to and from the direct models ({@link PartnerModels}), so nothing above it branches on the mode.
 * Built on first use rather than at start-up, because the SDK downloads WeChat's platform
 * certificates while it is built: the service starts (and reports why) even when WeChat Pay is
 * unreachable, and the next call tries again.
 *
 * <p>wechatpay-java always calls https://api.mch.weixin.qq.com; when {@code wechat-base-url} points
 * elsewhere (the simulator in tests and local mode) an OkHttp interceptor rewrites scheme, host and
 * port. Request signatures cover only the path and query, so they stay valid.
 */
@Singleton
public class WeChatPayGateway {
    static final URI WECHAT_PAY = URI.create("https://api.mch.weixin.qq.com");

    private final Merchant merchant;
    private final MeterRegistry registry;
    private volatile Sdk sdk;

    WeChatPayGateway(Merchant merchant, MeterRegistry registry) {
        this.merchant = merchant;
        this.registry = registry;
    }

    /**
     * Times one call to WeChat Pay as {@code scanorder_payment_wechat_seconds{operation,outcome}}
     * (a histogram), the prepay and query latency of the metrics contract.
     */
    private <T> T timed(String operation, Supplier<T> call) {
        long start = System.nanoTime();
        String outcome = "error";
        try {
            T result = call.get();
            outcome = "ok";
            return result;
        } finally {
            Timer.builder("scanorder.payment.wechat")
                    .description("Calls to WeChat Pay, by operation and outcome")
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    /** The SDK objects, built together from one configuration. */
    private record Sdk(
            JsapiServiceExtension jsapi,
            com.wechat.pay.java.service.partnerpayments.jsapi.JsapiServiceExtension partner,
            RefundService refunds,
            NotificationParser parser,
            BillDownloadServiceExtension bills) {}

    private Sdk sdk() {
        Sdk current = sdk;
        if (current == null) {
            synchronized (this) {
                current = sdk;
                if (current == null) {
                    current = build();
                    sdk = current;
                }
            }
        }
        return current;
    }

    private Sdk build() {
        OkHttpClient ok = okHttp(merchant.config().wechatBaseUrl());
        RSAAutoCertificateConfig config =
                new RSAAutoCertificateConfig.Builder()
                        .merchantId(merchant.config().mchId())
                        .privateKey(merchant.credentials().privateKey())
                        .merchantSerialNumber(merchant.config().merchantSerialNumber())
                        .apiV3Key(
                                new String(
                                        merchant.credentials().apiV3Key(), StandardCharsets.UTF_8))
                        .httpClientBuilder(new DefaultHttpClientBuilder().okHttpClient(ok))
                        .build();
        HttpClient http = new DefaultHttpClientBuilder().config(config).okHttpClient(ok).build();
        return new Sdk(
                new JsapiServiceExtension.Builder().config(config).httpClient(http).build(),
                new com.wechat.pay.java.service.partnerpayments.jsapi.JsapiServiceExtension
                                .Builder()
                        .config(config)
                        .httpClient(http)
                        .build(),
                new RefundService.Builder().httpClient(http).build(),
                new NotificationParser(config),
                new BillDownloadServiceExtension.Builder().config(config).httpClient(http).build());
    }

    /** OkHttp with bounded timeouts, sending to {@code baseUrl} when it is not WeChat Pay. */
    static OkHttpClient okHttp(URI baseUrl) {
        OkHttpClient.Builder builder =
                new OkHttpClient.Builder()
                        .connectTimeout(Duration.ofSeconds(5))
                        .readTimeout(Duration.ofSeconds(10))
                        .writeTimeout(Duration.ofSeconds(10));
        if (!WECHAT_PAY.equals(baseUrl)) {
            HttpUrl target = HttpUrl.get(baseUrl.toString());
            builder.addInterceptor(
                    chain -> {
                        HttpUrl url =
                                chain.request()
                                        .url()
                                        .newBuilder()
                                        .scheme(target.scheme())
                                        .host(target.host())
                                        .port(target.port())
                                        .build();
                        return chain.proceed(chain.request().newBuilder().url(url).build());
                    });
        }
        return builder.build();
    }

    public String mchId() {
        return merchant.config().mchId();
    }

    public String appId() {
        return merchant.config().appId();
    }

    public String notifyUrl() {
        return merchant.config().notifyUrl().toString();
    }

    public URI baseUrl() {
        return merchant.config().wechatBaseUrl();
    }

    /** True in service-provider mode: orders are placed for {@link #subMchId()}. */
    public boolean serviceProvider() {
        return merchant.serviceProvider();
    }

    /** The sub-merchant in service-provider mode; null for a direct merchant. */
    public String subMchId() {
        return merchant.config().subMchId().orElse(null);
    }

    /**
     * Places a JSAPI order given in the direct model ({@code appid}/{@code mchid} = this merchant);
     * in service-provider mode it goes out as a partner order for the sub-merchant, and the
     * mini-program parameters are signed for the app whose openid the payer has.
     */
    public PrepayWithRequestPaymentResponse prepay(PrepayRequest request) {
        if (!serviceProvider()) {
            return timed("prepay", () -> sdk().jsapi().prepayWithRequestPayment(request));
        }
        var partner = PartnerModels.prepay(request, subMchId(), merchant.config().subAppId());
        String payingApp = merchant.config().subAppId().orElse(appId());
        return PartnerModels.requestPayment(
                timed(
                        "prepay",
                        () -> sdk().partner().prepayWithRequestPayment(partner, payingApp)));
    }

    public Transaction query(String outTradeNo) {
        if (serviceProvider()) {
            var request =
                    new com.wechat.pay.java.service.partnerpayments.jsapi.model
                            .QueryOrderByOutTradeNoRequest();
            request.setSpMchid(mchId());
            request.setSubMchid(subMchId());
            request.setOutTradeNo(outTradeNo);
            var partner = timed("query", () -> sdk().partner().queryOrderByOutTradeNo(request));
            requireOurSubMerchant(partner.getSpMchid(), partner.getSubMchid(), outTradeNo);
            return PartnerModels.transaction(partner);
        }
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setMchid(mchId());
        request.setOutTradeNo(outTradeNo);
        return timed("query", () -> sdk().jsapi().queryOrderByOutTradeNo(request));
    }

    public void close(String outTradeNo) {
        if (serviceProvider()) {
            var request =
                    new com.wechat.pay.java.service.partnerpayments.jsapi.model.CloseOrderRequest();
            request.setSpMchid(mchId());
            request.setSubMchid(subMchId());
            request.setOutTradeNo(outTradeNo);
            timed(
                    "close",
                    () -> {
                        sdk().partner().closeOrder(request);
                        return null;
                    });
            return;
        }
        CloseOrderRequest request = new CloseOrderRequest();
        request.setMchid(mchId());
        request.setOutTradeNo(outTradeNo);
        timed(
                "close",
                () -> {
                    sdk().jsapi().closeOrder(request);
                    return null;
                });
    }

    /** Asks for a refund; in service-provider mode {@code sub_mchid} is added to the request. */
    public Refund refund(CreateRequest request) {
        if (serviceProvider()) {
            request.setSubMchid(subMchId());
        }
        return timed("refund", () -> sdk().refunds().create(request));
    }

    public Refund queryRefund(String outRefundNo) {
        QueryByOutRefundNoRequest request = new QueryByOutRefundNoRequest();
        request.setOutRefundNo(outRefundNo);
        if (serviceProvider()) {
            request.setSubMchid(subMchId());
        }
        return timed("query_refund", () -> sdk().refunds().queryByOutRefundNo(request));
    }

    /**
     * Downloads one day's trade bill (all payments and refunds, gzip, which the SDK unpacks) and
     * checks its SHA-1 against the hash WeChat signed in the application answer.
     *
     * @param billDate the day in China Standard Time
     * @return the bill text (UTF-8 CSV in WeChat's format)
     */
    public String tradeBill(LocalDate billDate) {
        GetTradeBillRequest request = new GetTradeBillRequest();
        request.setBillDate(billDate.toString());
        if (serviceProvider()) {
            request.setSubMchid(subMchId()); // the sub-merchant's bill, not the whole provider's
        }
        request.setBillType(BillType.ALL);
        request.setTarType(TarType.GZIP);
        DigestBillEntity bill = timed("trade_bill", () -> sdk().bills().getTradeBill(request));
        byte[] raw;
        try (InputStream in = bill.getInputStream()) {
            raw = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the trade bill of " + billDate + " failed", e);
        }
        if (!bill.verifyHash()) {
            throw new IllegalStateException(
                    "the trade bill of " + billDate + " does not match the hash WeChat Pay sent");
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** Verifies the signature and decrypts the resource of a notification. */
    public <T> T parseNotification(RequestParam request, Class<T> type) {
        return sdk().parser().parse(request, type);
    }

    /**
     * Verifies and decrypts a TRANSACTION.* notification, in the direct model. In service-provider
     * mode it must be in the partner shape and for this sub-merchant.
     *
     * @throws ForeignMerchantException for another service provider's or sub-merchant's order
     */
    public Transaction parseTransaction(RequestParam request) {
        if (!serviceProvider()) {
            return parseNotification(request, Transaction.class);
        }
        var partner =
                parseNotification(
                        request,
                        com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction.class);
        requireOurSubMerchant(partner.getSpMchid(), partner.getSubMchid(), partner.getOutTradeNo());
        return PartnerModels.transaction(partner);
    }

    /**
     * Verifies and decrypts a REFUND.* notification; in service-provider mode it must be for this
     * sub-merchant.
     *
     * @throws ForeignMerchantException for another service provider's or sub-merchant's refund
     */
    public RefundNotification parseRefund(RequestParam request) {
        if (!serviceProvider()) {
            return parseNotification(request, RefundNotification.class);
        }
        PartnerRefundNotification refund =
                parseNotification(request, PartnerRefundNotification.class);
        requireOurSubMerchant(refund.spMchid, refund.subMchid, refund.getOutTradeNo());
        return refund;
    }

    /** The refund notification's resource with the partner fields the SDK model leaves out. */
    static final class PartnerRefundNotification extends RefundNotification {
        // Filled by the SDK's Gson (lower_case_with_underscores: sp_mchid, sub_mchid).
        String spMchid;
        String subMchid;
    }

    private void requireOurSubMerchant(String spMchid, String subMchid, String outTradeNo) {
        if (!mchId().equals(spMchid) || !subMchId().equals(subMchid)) {
            throw new ForeignMerchantException(
                    "out_trade_no "
                            + outTradeNo
                            + " belongs to sp_mchid "
                            + spMchid
                            + " / sub_mchid "
                            + subMchid
                            + ", but this payment service is for sp_mchid "
                            + mchId()
                            + " / sub_mchid "
                            + subMchId()
                            + "; check the store's spec.payment.subMchId and the notify URL");
        }
    }

    /** WeChat Pay answered about, or notified of, another (sub-)merchant's order. */
    public static final class ForeignMerchantException extends RuntimeException {
        ForeignMerchantException(String message) {
            super(message);
        }
    }
}
