package io.scanorder.wechatsim.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP response produced by a simulator API: status, content type and body. */
public record SimResponse(
        int status, String contentType, byte[] body, Map<String, String> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json; charset=UTF-8";

    public SimResponse {
        body = body.clone();
        headers = Map.copyOf(headers);
    }

    /** A JSON response; maps keep their iteration order so bodies read like WeChat's. */
    public static SimResponse json(int status, Object value) {
        try {
            return new SimResponse(status, JSON_TYPE, JSON.writeValueAsBytes(value), Map.of());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise response " + value, e);
        }
    }

    public static SimResponse text(int status, String text) {
        return new SimResponse(
                status,
                "text/plain; charset=UTF-8",
                text.getBytes(StandardCharsets.UTF_8),
                Map.of());
    }

    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
