package io.scanorder.wechatsim.pay;

import io.scanorder.wechatsim.http.SimHandler;
import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.http.SimResponse;

/**
 * A Pay v3 endpoint behind WeChat's request authentication; its answers, errors included, are
 * signed with the platform key as WeChat signs them.
 */
@FunctionalInterface
interface AuthenticatedHandler {
    SimResponse handle(SimRequest request, Merchant merchant);

    /** Wraps a handler: authenticate, run, sign the answer or the error. */
    static SimHandler signed(PaySimulator sim, AuthenticatedHandler handler) {
        return request -> {
            Merchant merchant = null;
            try {
                merchant = sim.authenticator().authenticate(request);
                return sim.signer().sign(merchant, handler.handle(request, merchant));
            } catch (PayApiException e) {
                return sim.signer().sign(merchant, e.toResponse());
            }
        };
    }

    static void requireMethod(SimRequest request, String method) {
        if (!request.method().equals(method)) {
            throw new PayApiException(
                    405,
                    "METHOD_NOT_ALLOWED",
                    request.path() + " accepts " + method + ", not " + request.method());
        }
    }

    /** A required query parameter, or 400 PARAM_ERROR naming it. */
    static String query(SimRequest request, String name) {
        return request.param(name)
                .orElseThrow(() -> PayApiException.paramError(name, "query", "is required"));
    }
}
