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
    private final Map<String, SimHandler> prefixRoutes = new ConcurrentHashMap<>();
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

    /**
     * Registers a handler for every path under {@code prefix} (which should end with {@code /}),
     * for APIs with path parameters; exact routes win, then the longest prefix.
     */
    public void routePrefix(String prefix, SimHandler handler) {
        if (prefixRoutes.putIfAbsent(prefix, handler) != null) {
            throw new IllegalStateException("prefix " + prefix + " is already routed");
        }
    }

    private SimHandler find(String path) {
        SimHandler exact = routes.get(path);
        if (exact != null) {
            return exact;
        }
        String best = null;
        for (String prefix : prefixRoutes.keySet()) {
            if (path.startsWith(prefix)
                    && path.length() > prefix.length()
                    && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? null : prefixRoutes.get(best);
    }

    public SimResponse dispatch(SimRequest request) {
        SimHandler handler = find(request.path());
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
