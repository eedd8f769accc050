package io.scanorder.wechatsim.http;

/**
 * A client error that knows how the API it belongs to reports errors (WeChat's mini-program API
 * answers {@code errcode/errmsg} with HTTP 200, Pay v3 answers 4xx with {@code code/message}).
 */
public abstract class SimApiException extends RuntimeException {
    protected SimApiException(String message) {
        super(message);
    }

    /** The response the client receives for this error. */
    public abstract SimResponse toResponse();
}
