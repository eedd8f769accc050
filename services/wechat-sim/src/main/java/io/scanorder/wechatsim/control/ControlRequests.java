package io.scanorder.wechatsim.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.wechatsim.http.SimRequest;
import java.io.IOException;
import java.util.Optional;

/** Reading control-API requests; every problem is a {@link ControlApiException} naming it. */
final class ControlRequests {
    static final ObjectMapper JSON = new ObjectMapper();

    private ControlRequests() {}

    static void requireMethod(SimRequest request, String method) {
        if (!request.method().equals(method)) {
            throw new ControlApiException(
                    405, request.path() + " accepts " + method + ", not " + request.method());
        }
    }

    static JsonNode jsonObject(SimRequest request) {
        try {
            JsonNode node = JSON.readTree(request.body());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // reported below together with the empty-body case
        }
        throw new ControlApiException(400, "request body must be a JSON object");
    }

    static String requiredText(JsonNode body, String field) {
        return optionalText(body, field)
                .orElseThrow(
                        () ->
                                new ControlApiException(
                                        400, "field '" + field + "' is required (a string)"));
    }

    static Optional<String> optionalText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw new ControlApiException(
                    400, "field '" + field + "' must be a string, got " + node.getNodeType());
        }
        return node.asText().isBlank() ? Optional.empty() : Optional.of(node.asText());
    }

    static Optional<Integer> optionalInt(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isInt()) {
            throw new ControlApiException(
                    400, "field '" + field + "' must be an integer, got " + node.getNodeType());
        }
        return Optional.of(node.asInt());
    }

    /** The enum constant named by a text field, or 400 listing the allowed names. */
    static <E extends Enum<E>> Optional<E> optionalEnum(
            JsonNode body, String field, Class<E> type) {
        return optionalText(body, field)
                .map(
                        value -> {
                            try {
                                return Enum.valueOf(type, value);
                            } catch (IllegalArgumentException e) {
                                throw new ControlApiException(
                                        400,
                                        "field '"
                                                + field
                                                + "' must be one of "
                                                + java.util.Arrays.toString(type.getEnumConstants())
                                                + ", got '"
                                                + value
                                                + "'");
                            }
                        });
    }
}
