package io.scanorder.wechatsim.pay;

import io.scanorder.wechatsim.http.SimApiException;
import io.scanorder.wechatsim.http.SimResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A WeChat Pay API v3 error: a 4xx/5xx status with {@code {"code": ..., "message": ...}} and, where
 * WeChat gives one, a {@code detail} naming the offending field and where it was.
 */
public final class PayApiException extends SimApiException {
    private final int status;
    private final String code;
    private final Map<String, Object> detail;

    public PayApiException(int status, String code, String message) {
        this(status, code, message, null);
    }

    public PayApiException(int status, String code, String message, Map<String, Object> detail) {
        super(message);
        this.status = status;
        this.code = code;
        this.detail = detail;
    }

    /** 400 PARAM_ERROR about one field of the JSON body, query or path. */
    public static PayApiException paramError(String field, String location, String issue) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("field", field);
        detail.put("location", location);
        detail.put("value", null);
        detail.put("issue", issue);
        return new PayApiException(400, "PARAM_ERROR", "参数错误: " + field + " " + issue, detail);
    }

    /** 401 SIGN_ERROR: the request's Authorization did not hold up. */
    public static PayApiException signError(String issue) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("field", "signature");
        detail.put("location", "authorization");
        detail.put("detail", Map.of("issue", issue));
        return new PayApiException(401, "SIGN_ERROR", "签名错误，请检查后再试 (" + issue + ")", detail);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    @Override
    public SimResponse toResponse() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", getMessage());
        if (detail != null) {
            body.put("detail", detail);
        }
        return SimResponse.json(status, body);
    }
}
