package io.scanorder.wechatsim.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Maps exact paths to handlers and turns every failure into a well-formed response: API errors
 * render in their API's format, unexpected exceptions become a generic error whose stack trace goes
 * to the simulator's log only, never to the client.
 */
public final class Router {
    private static final Logger LOG = Logger.getLogger(Router.class.getName());

    private final Map<String, SimHandler> routes = new ConcurrentHashMap<>();
    private final Function<SimRequest, SimResponse> notFound;
    private final Function<SimRequest, SimResponse> internalError;

    /**
     * @param notFound answer for a path no module registered
     * @param internalError answer for a handler that failed unexpectedly
     */
    public Router(
            Function<SimRequest, SimResponse> notFound,
            Function<SimRequest, SimResponse> internalError) {
        this.notFound = notFound;
        this.internalError = internalError;
    }

    /** Registers a handler for an exact path; registering a path twice is a programming error. */
    public void route(String path, SimHandler handler) {
        if (routes.putIfAbsent(path, handler) != null) {
            throw new IllegalStateException("path " + path + " is already routed");
        }
    }

    public SimResponse dispatch(SimRequest request) {
        SimHandler handler = routes.get(request.path());
        if (handler == null) {
            return notFound.apply(request);
        }
        try {
            return handler.handle(request);
        } catch (SimApiException e) {
            return e.toResponse();
        } catch (RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "handler for " + request.method() + " " + request.path() + " failed",
                    e);
            return internalError.apply(request);
        }
    }
}
