package io.scanorder.wechatsim.pay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.regex.Pattern;

/**
 * Reads fields of a Pay v3 JSON body; every problem is a 400 PARAM_ERROR naming the field path, as
 * WeChat's {@code detail.field} does.
 */
final class JsonBody {
    static final ObjectMapper JSON = new ObjectMapper();

    /** out_trade_no / out_refund_no: digits, letters and {@code _-|*}. */
    static final Pattern MERCHANT_NO = Pattern.compile("[0-9A-Za-z_\\-|*]+");

    private final JsonNode root;

    private JsonBody(JsonNode root) {
        this.root = root;
    }

    static JsonBody parse(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node != null && node.isObject()) {
                return new JsonBody(node);
            }
        } catch (IOException e) {
            // reported below
        }
        throw PayApiException.paramError("body", "body", "must be a JSON object");
    }

    JsonNode root() {
        return root;
    }

    private JsonNode at(String path) {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
            node = node == null || !node.isObject() ? null : node.get(part);
        }
        return node == null || node.isNull() ? null : node;
    }

    boolean has(String path) {
        return at(path) != null;
    }

    String text(String path, int maxLength) {
        String value = optionalText(path, maxLength);
        if (value == null) {
            throw PayApiException.paramError(path, "body", "is required");
        }
        return value;
    }

    String optionalText(String path, int maxLength) {
        JsonNode node = at(path);
        if (node == null) {
            return null;
        }
        if (!node.isTextual()) {
            throw PayApiException.paramError(path, "body", "must be a string");
        }
        String value = node.asText();
        if (value.isEmpty()) {
            throw PayApiException.paramError(path, "body", "must not be empty");
        }
        if (value.length() > maxLength) {
            throw PayApiException.paramError(
                    path, "body", "is longer than " + maxLength + " characters");
        }
        return value;
    }

    /** A merchant-side number such as out_trade_no: length and character rules checked. */
    String merchantNo(String path, int minLength, int maxLength, boolean required) {
        String value = required ? text(path, maxLength) : optionalText(path, maxLength);
        if (value == null) {
            return null;
        }
        if (value.length() < minLength || !MERCHANT_NO.matcher(value).matches()) {
            throw PayApiException.paramError(
                    path,
                    "body",
                    "must be " + minLength + "-" + maxLength + " of 0-9 A-Z a-z _ - | *");
        }
        return value;
    }

    /** A positive whole number of fen (JSON integer, never a decimal). */
    long fen(String path) {
        JsonNode node = at(path);
        if (node == null) {
            throw PayApiException.paramError(path, "body", "is required");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 1) {
            throw PayApiException.paramError(path, "body", "must be a whole number of fen >= 1");
        }
        return node.asLong();
    }

    void requireCurrencyCny(String path) {
        String currency = optionalText(path, 16);
        if (currency != null && !currency.equals("CNY")) {
            throw PayApiException.paramError(path, "body", "must be CNY, got " + currency);
        }
    }

    /** notify_url: an absolute http(s) URL without a query string. */
    String notifyUrl(String path, boolean required) {
        String url = required ? text(path, 256) : optionalText(path, 256);
        if (url == null) {
            return null;
        }
        if (!(url.startsWith("https://") || url.startsWith("http://")) || url.contains("?")) {
            throw PayApiException.paramError(
                    path, "body", "must be an absolute http(s) URL without a query string");
        }
        return url;
    }
}
