package io.scanorder.wechatsim.pay;

import com.wechat.pay.java.core.Config;
import com.wechat.pay.java.core.RSAAutoCertificateConfig;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.core.http.HttpClient;
import com.wechat.pay.java.core.notification.NotificationConfig;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.billdownload.BillDownloadServiceExtension;
import com.wechat.pay.java.service.payments.jsapi.JsapiServiceExtension;
import com.wechat.pay.java.service.refund.RefundService;
import io.scanorder.wechatsim.pay.crypto.PlatformIdentity;
import java.security.PrivateKey;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * The official wechatpay-java SDK wired to the simulator exactly as the payment service must wire
 * it: wechatpay-java has no host option (every service hard-codes https://api.mch.weixin.qq.com),
 * so an OkHttp interceptor sends its requests to the simulator. Request signatures cover only path
 * and query, so rewriting scheme, host and port keeps them valid.
 */
final class PaySdk {
    final Config config;
    final HttpClient http;

    private PaySdk(Config config, HttpClient http) {
        this.config = config;
        this.http = http;
    }

    /** An OkHttp client that sends every request to {@code baseUrl} instead of WeChat. */
    static OkHttpClient redirectedTo(String baseUrl) {
        HttpUrl target = HttpUrl.get(baseUrl);
        return new OkHttpClient.Builder()
                .addInterceptor(
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
                        })
                .build();
    }

    /** Platform-certificate mode: downloads /v3/certificates while building, as in production. */
    static PaySdk autoCertificate(String baseUrl, MerchantKeys merchant) {
        OkHttpClient ok = redirectedTo(baseUrl);
        RSAAutoCertificateConfig config =
                new RSAAutoCertificateConfig.Builder()
                        .merchantId(merchant.mchid())
                        .privateKey(merchant.keys().getPrivate())
                        .merchantSerialNumber(merchant.serialNo())
                        .apiV3Key(merchant.apiV3Key())
                        .httpClientBuilder(new DefaultHttpClientBuilder().okHttpClient(ok))
                        .build();
        return new PaySdk(
                config, new DefaultHttpClientBuilder().config(config).okHttpClient(ok).build());
    }

    /** WeChat Pay public key mode, signing with {@code signingKey} (the merchant's, or not). */
    static PaySdk publicKey(
            String baseUrl,
            MerchantKeys merchant,
            PrivateKey signingKey,
            PlatformIdentity platform) {
        RSAPublicKeyConfig config =
                new RSAPublicKeyConfig.Builder()
                        .merchantId(merchant.mchid())
                        .privateKey(signingKey)
                        .merchantSerialNumber(merchant.serialNo())
                        .apiV3Key(merchant.apiV3Key())
                        .publicKey(platform.publicKey())
                        .publicKeyId(platform.publicKeyId())
                        .build();
        return new PaySdk(
                config,
                new DefaultHttpClientBuilder()
                        .config(config)
                        .okHttpClient(redirectedTo(baseUrl))
                        .build());
    }

    JsapiServiceExtension jsapi() {
        return new JsapiServiceExtension.Builder().config(config).httpClient(http).build();
    }

    RefundService refunds() {
        return new RefundService.Builder().httpClient(http).build();
    }

    BillDownloadServiceExtension bills() {
        return new BillDownloadServiceExtension.Builder()
                .httpClient(http)
                .decryptor(config.createDecryptor())
                .build();
    }

    /** Parses a received notification the way the payment service's notify endpoint will. */
    <T> T parse(NotificationReceiver.Received received, Class<T> type) {
        RequestParam param =
                new RequestParam.Builder()
                        .serialNumber(received.header("Wechatpay-Serial"))
                        .nonce(received.header("Wechatpay-Nonce"))
                        .signature(received.header("Wechatpay-Signature"))
                        .timestamp(received.header("Wechatpay-Timestamp"))
                        .signType(received.header("Wechatpay-Signature-Type"))
                        .body(received.body())
                        .build();
        return new NotificationParser((NotificationConfig) config).parse(param, type);
    }
}
