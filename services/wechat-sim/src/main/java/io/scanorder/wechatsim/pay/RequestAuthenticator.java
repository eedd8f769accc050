package io.scanorder.wechatsim.pay;

import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.pay.crypto.PayCrypto;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Checks a request's {@code Authorization: WECHATPAY2-SHA256-RSA2048 mchid="..",nonce_str="..",
 * signature="..",timestamp="..",serial_no=".."} the way WeChat Pay does: known merchant, its
 * registered certificate serial, a timestamp within five minutes, and an RSA-SHA256 signature over
 * {@code METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n} by the merchant's private key.
 */
public final class RequestAuthenticator {
    public static final String SCHEMA = "WECHATPAY2-SHA256-RSA2048";

    /** How far a request's timestamp may be from WeChat's clock. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private final MerchantRegistry merchants;
    private final Clock clock;

    public RequestAuthenticator(MerchantRegistry merchants, Clock clock) {
        this.merchants = merchants;
        this.clock = clock;
    }

    /** The authenticated merchant, or a {@link PayApiException} saying what is wrong. */
    public Merchant authenticate(SimRequest request) {
        String header =
                request.header("Authorization")
                        .orElseThrow(
                                () -> PayApiException.signError("Authorization header is missing"));
        if (!header.startsWith(SCHEMA + " ")) {
            throw PayApiException.signError(
                    "Authorization schema must be " + SCHEMA + ", got '" + firstWord(header) + "'");
        }
        Map<String, String> token = parseToken(header.substring(SCHEMA.length() + 1));
        String mchid = required(token, "mchid");
        String nonce = required(token, "nonce_str");
        String signature = required(token, "signature");
        String timestamp = required(token, "timestamp");
        String serial = required(token, "serial_no");

        Merchant merchant =
                merchants
                        .find(mchid)
                        .orElseThrow(
                                () ->
                                        new PayApiException(
                                                400,
                                                "MCH_NOT_EXISTS",
                                                "商户号不存在: mchid " + mchid + " is not registered"));
        if (!merchant.serialNo().equalsIgnoreCase(serial)) {
            throw PayApiException.signError(
                    "serial_no "
                            + serial
                            + " is not the API certificate registered for mchid "
                            + mchid);
        }
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw PayApiException.signError("timestamp '" + timestamp + "' is not epoch seconds");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - seconds);
        if (skew > MAX_SKEW.toSeconds()) {
            throw PayApiException.signError(
                    "timestamp " + timestamp + " is " + skew + "s away from now (limit 300s)");
        }
        String message =
                PayCrypto.requestMessage(
                        request.method(),
                        request.rawTarget(),
                        seconds,
                        nonce,
                        request.bodyAsString());
        if (!PayCrypto.verify(merchant.publicKey(), message, signature)) {
            throw PayApiException.signError("sign not match");
        }
        return merchant;
    }

    private static String firstWord(String header) {
        int space = header.indexOf(' ');
        return space < 0 ? header : header.substring(0, space);
    }

    private static String required(Map<String, String> token, String name) {
        String value = token.get(name);
        if (value == null || value.isEmpty()) {
            throw PayApiException.signError("Authorization lacks " + name + "=\"...\"");
        }
        return value;
    }

    /** Parses {@code k="v",k2="v2"}; values are quoted and contain no quotes. */
    static Map<String, String> parseToken(String token) {
        Map<String, String> values = new HashMap<>();
        int i = 0;
        while (i < token.length()) {
            int eq = token.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String name = token.substring(i, eq).trim();
            if (eq + 1 >= token.length() || token.charAt(eq + 1) != '"') {
                throw PayApiException.signError(
                        "Authorization value of " + name + " is not quoted");
            }
            int close = token.indexOf('"', eq + 2);
            if (close < 0) {
                throw PayApiException.signError(
                        "Authorization value of " + name + " is unterminated");
            }
            values.put(name, token.substring(eq + 2, close));
            int comma = token.indexOf(',', close);
            i = comma < 0 ? token.length() : comma + 1;
        }
        return values;
    }
}
