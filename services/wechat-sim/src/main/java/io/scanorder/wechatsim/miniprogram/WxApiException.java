package io.scanorder.wechatsim.miniprogram;

import io.scanorder.wechatsim.http.SimApiException;
import io.scanorder.wechatsim.http.SimResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WeChat API error. Like the real servers it is answered with HTTP 200 and a body {@code
 * {"errcode":40029,"errmsg":"invalid code, rid: ..."}}; the rid is a request id clients quote in
 * support tickets, here only for realism.
 */
public final class WxApiException extends SimApiException {
    private final WxErrorCode error;
    private final int httpStatus;

    public WxApiException(WxErrorCode error) {
        this(error, 200);
    }

    public WxApiException(WxErrorCode error, int httpStatus) {
        super(error.code() + " " + error.message());
        this.error = error;
        this.httpStatus = httpStatus;
    }

    public WxErrorCode error() {
        return error;
    }

    @Override
    public SimResponse toResponse() {
        return SimResponse.json(httpStatus, body(error));
    }

    /** The error body WeChat sends, with a fresh rid. */
    public static Map<String, Object> body(WxErrorCode error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("errcode", error.code());
        body.put("errmsg", error.message() + ", rid: " + rid());
        return body;
    }

    private static String rid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return String.format(
                "%08x-%08x-%08x",
                System.currentTimeMillis() / 1000, random.nextInt(), random.nextInt());
    }
}
