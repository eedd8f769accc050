package io.scanorder.payment.wechat;

import com.wechat.pay.java.core.RSAAutoCertificateConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
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
import io.scanorder.payment.config.Merchant;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The official wechatpay-java SDK, configured for the merchant: JSAPI payments, refunds and
 * notification parsing. Built on first use rather than at start-up, because the SDK downloads
 * WeChat's platform certificates while it is built: the service starts (and reports why) even when
 * WeChat Pay is unreachable, and the next call tries again.
 *
 * <p>wechatpay-java always calls https://api.mch.weixin.qq.com; when {@code wechat-base-url} points
 * elsewhere (the simulator in tests and local mode) an OkHttp interceptor rewrites scheme, host and
 * port. Request signatures cover only the path and query, so they stay valid.
 */
@Singleton
public class WeChatPayGateway {
    static final URI WECHAT_PAY = URI.create("https://api.mch.weixin.qq.com");

    private final Merchant merchant;
    private volatile Sdk sdk;

    WeChatPayGateway(Merchant merchant) {
        this.merchant = merchant;
    }

    /** The SDK objects, built together from one configuration. */
    private record Sdk(
            JsapiServiceExtension jsapi, RefundService refunds, NotificationParser parser) {}

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
                new RefundService.Builder().httpClient(http).build(),
                new NotificationParser(config));
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

    public PrepayWithRequestPaymentResponse prepay(PrepayRequest request) {
        return sdk().jsapi().prepayWithRequestPayment(request);
    }

    public Transaction query(String outTradeNo) {
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setMchid(mchId());
        request.setOutTradeNo(outTradeNo);
        return sdk().jsapi().queryOrderByOutTradeNo(request);
    }

    public void close(String outTradeNo) {
        CloseOrderRequest request = new CloseOrderRequest();
        request.setMchid(mchId());
        request.setOutTradeNo(outTradeNo);
        sdk().jsapi().closeOrder(request);
    }

    public Refund refund(CreateRequest request) {
        return sdk().refunds().create(request);
    }

    public Refund queryRefund(String outRefundNo) {
        QueryByOutRefundNoRequest request = new QueryByOutRefundNoRequest();
        request.setOutRefundNo(outRefundNo);
        return sdk().refunds().queryByOutRefundNo(request);
    }

    /** Verifies the signature and decrypts the resource of a notification. */
    public <T> T parseNotification(RequestParam request, Class<T> type) {
        return sdk().parser().parse(request, type);
    }
}
