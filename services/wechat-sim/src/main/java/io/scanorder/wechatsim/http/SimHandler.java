package io.scanorder.wechatsim.http;

/** Handles one path of a simulator API. */
@FunctionalInterface
public interface SimHandler {
    /**
     * Answers a request. An API reports a client error by throwing a {@link SimApiException}, which
     * renders itself in that API's own error format.
     */
    SimResponse handle(SimRequest request);
}
