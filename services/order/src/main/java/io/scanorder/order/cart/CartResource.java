package io.scanorder.order.cart;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.order.diner.DinerApiException;
import io.scanorder.order.diner.DinerSession;
import io.scanorder.order.diner.DinerSessions;
import io.scanorder.order.diner.RateLimiter;
import io.scanorder.order.table.TableRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;

/**
 * Diner API: the shared cart of the table whose QR scene the diner scanned. Every call needs a
 * diner session ({@code Authorization: Bearer}); changes count against the diner's rate limit.
 * Refusals are JSON {@code {"reason": ..., "message": ...}}: table-code reasons as for {@code GET
 * /api/v1/tables/{scene}}, the others from {@link CartException}.
 */
@Path("/api/v1/tables/{scene}/cart")
public class CartResource {
    private final TableRegistry tables;
    private final DinerSessions sessions;
    private final RateLimiter limiter;
    private final TableCarts carts;
    private final CartEvents events;
    private final CartConfig config;
    private final ObjectMapper json;

    public CartResource(
            TableRegistry tables,
            DinerSessions sessions,
            RateLimiter limiter,
            TableCarts carts,
            CartEvents events,
            CartConfig config,
            ObjectMapper json) {
        this.tables = tables;
        this.sessions = sessions;
        this.limiter = limiter;
        this.carts = carts;
        this.events = events;
        this.config = config;
        this.json = json;
    }

    /** Body of POST .../lines: {@code quantity} defaults to 1, note and nickname are optional. */
    public record AddLine(String sku, Integer quantity, String note, String nickname) {}

    /** Body of PUT .../lines/{lineId}. */
    public record SetQuantity(Integer quantity) {}

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public CartView get(
            @PathParam("scene") String scene, @HeaderParam("Authorization") String auth) {
        DinerSession diner = session(auth);
        return carts.get(table(scene), diner.openid());
    }

    @POST
    @Path("lines")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CartView add(
            @PathParam("scene") String scene,
            @HeaderParam("Authorization") String auth,
            AddLine body) {
        DinerSession diner = session(auth);
        TableRef table = table(scene);
        if (body == null) {
            throw bodyMissing("{\"sku\": ..., \"quantity\": 1}");
        }
        limit(diner);
        int quantity = body.quantity() == null ? 1 : body.quantity();
        return carts.add(table, body.sku(), quantity, body.note(), diner.openid(), body.nickname());
    }

    @PUT
    @Path("lines/{lineId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public CartView setQuantity(
            @PathParam("scene") String scene,
            @PathParam("lineId") String lineId,
            @HeaderParam("Authorization") String auth,
            SetQuantity body) {
        DinerSession diner = session(auth);
        TableRef table = table(scene);
        if (body == null || body.quantity() == null) {
            throw bodyMissing("{\"quantity\": 2}");
        }
        limit(diner);
        return carts.setQuantity(table, lineId, body.quantity(), diner.openid());
    }

    @DELETE
    @Path("lines/{lineId}")
    @Produces(MediaType.APPLICATION_JSON)
    public CartView remove(
            @PathParam("scene") String scene,
            @PathParam("lineId") String lineId,
            @HeaderParam("Authorization") String auth) {
        DinerSession diner = session(auth);
        TableRef table = table(scene);
        limit(diner);
        return carts.remove(table, lineId, diner.openid());
    }

    @DELETE
    @Produces(MediaType.APPLICATION_JSON)
    public CartView clear(
            @PathParam("scene") String scene, @HeaderParam("Authorization") String auth) {
        DinerSession diner = session(auth);
        TableRef table = table(scene);
        limit(diner);
        return carts.clear(table, diner.openid());
    }

    /**
     * Server-sent events: the cart at once, then after every change by anyone at the table (on any
     * replica), {@code unavailable} while Redis is away, and a comment line every heartbeat.
     */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(
            @PathParam("scene") String scene,
            @HeaderParam("Authorization") String auth,
            @Context SseEventSink sink,
            @Context Sse sse) {
        DinerSession diner = session(auth);
        TableRef table = table(scene);
        // Read first, so that a Redis outage is refused with a plain 503 before streaming starts.
        TableCarts.Priced first = carts.read(table);
        SseCartStream stream =
                new SseCartStream(table, diner.openid(), sink, sse, carts, events, json);
        stream.open();
        // Registered before this read, so no change between the two reads is missed.
        TableCarts.Priced current;
        try {
            current = carts.read(table);
        } catch (CartException e) {
            current = first;
        }
        stream.cart(current, false);
    }

    private TableRef table(String scene) {
        return TableRef.of(tables.resolve(scene));
    }

    private DinerSession session(String authorization) {
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        try {
            return sessions.resolve(token);
        } catch (DinerApiException e) {
            if (e.status() == 503) {
                // Sessions and carts share Redis: say what the diner can still do.
                throw CartException.unavailable(e);
            }
            throw e;
        }
    }

    private void limit(DinerSession diner) {
        RateLimiter.Decision d =
                limiter.acquire(
                        "cart-openid",
                        diner.openid(),
                        config.changesPerOpenid(),
                        config.rateLimitWindow());
        if (!d.allowed()) {
            throw new CartException(
                    429,
                    "RATE_LIMITED",
                    "too many cart changes by this diner; retry in " + d.retryAfterSeconds() + " s",
                    d.retryAfterSeconds(),
                    null);
        }
    }

    private static CartException bodyMissing(String example) {
        return new CartException(
                400, "BODY_MISSING", "a JSON body like " + example + " is required");
    }
}
