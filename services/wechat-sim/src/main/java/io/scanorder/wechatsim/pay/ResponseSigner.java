package io.scanorder.wechatsim.pay;

import io.scanorder.wechatsim.http.SimResponse;
import io.scanorder.wechatsim.pay.crypto.PayCrypto;
import io.scanorder.wechatsim.pay.crypto.PlatformIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Signs what the simulated platform sends (API responses and notifications) with the platform key:
 * {@code Wechatpay-Timestamp}, {@code Wechatpay-Nonce}, {@code Wechatpay-Serial} and {@code
 * Wechatpay-Signature} over {@code TIMESTAMP\nNONCE\nBODY\n}.
 */
public final class ResponseSigner {
    private final PlatformIdentity platform;
    private final Clock clock;

    public ResponseSigner(PlatformIdentity platform, Clock clock) {
        this.platform = platform;
        this.clock = clock;
    }

    /** The id a merchant's SDK expects in {@code Wechatpay-Serial}; certificate mode if unknown. */
    public String serialFor(Merchant merchant) {
        return merchant != null && merchant.verificationMode() == VerificationMode.PUBLIC_KEY
                ? platform.publicKeyId()
                : platform.certificateSerial();
    }

    /** Signature headers for a body, as sent to (or on behalf of) {@code merchant}. */
    public Map<String, String> headers(Merchant merchant, String body) {
        return headersAt(merchant, body, clock.instant());
    }

    /** As {@link #headers}, with the signature timestamp of {@code at} (for forging replays). */
    public Map<String, String> headersAt(Merchant merchant, String body, java.time.Instant at) {
        long timestamp = at.getEpochSecond();
        String nonce = PayCrypto.nonce(32);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Wechatpay-Timestamp", Long.toString(timestamp));
        headers.put("Wechatpay-Nonce", nonce);
        headers.put("Wechatpay-Serial", serialFor(merchant));
        headers.put(
                "Wechatpay-Signature",
                PayCrypto.sign(
                        platform.privateKey(), PayCrypto.responseMessage(timestamp, nonce, body)));
        headers.put("Wechatpay-Signature-Type", RequestAuthenticator.SCHEMA);
        return headers;
    }

    /** The response with signature headers and a {@code Request-ID}. */
    public SimResponse sign(Merchant merchant, SimResponse response) {
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        headers.putAll(headers(merchant, new String(response.body(), StandardCharsets.UTF_8)));
        headers.put("Request-ID", UUID.randomUUID().toString().replace("-", "").toUpperCase());
        return new SimResponse(response.status(), response.contentType(), response.body(), headers);
    }
}
