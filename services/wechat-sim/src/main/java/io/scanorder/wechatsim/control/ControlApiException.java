package io.scanorder.wechatsim.control;

import io.scanorder.wechatsim.http.SimApiException;
import io.scanorder.wechatsim.http.SimResponse;
import java.util.Map;

/** A bad control-API call: answered with a 4xx status and {@code {"error": "..."}}. */
final class ControlApiException extends SimApiException {
    private final int status;

    ControlApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    @Override
    public SimResponse toResponse() {
        return SimResponse.json(status, Map.of("error", getMessage()));
    }
}
