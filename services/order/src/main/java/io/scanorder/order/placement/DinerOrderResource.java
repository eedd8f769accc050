package io.scanorder.order.placement;

import io.scanorder.order.cart.CartException;
import io.scanorder.order.cart.Checkout;
import io.scanorder.order.cart.TableCarts;
import io.scanorder.order.cart.TableRef;
import io.scanorder.order.diner.DinerApiException;
import io.scanorder.order.diner.DinerSession;
import io.scanorder.order.diner.DinerSessions;
import io.scanorder.order.diner.RateLimiter;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.OrderQueries;
import io.scanorder.order.state.OrderRefunds;
import io.scanorder.order.state.OrderView;
import io.scanorder.order.table.TableRegistry;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * Diner API for orders: place one, read it, follow it live (server-sent events) and ask for a
 * refund. Every call needs {@code Authorization: Bearer <session token>} from {@code POST
 * /api/v1/sessions}; a diner sees only orders they placed. Refusals are JSON {@code {"reason",
 * "message"}}.
 */
@Path("/api/v1/orders")
@Tag(name = "Diner orders")
public class DinerOrderResource {
    private static final String KEY_HEADER = "Idempotency-Key";

    private final OrderPlacement placement;
    private final OrderQueries queries;
    private final OrderRefunds refunds;
    private final DinerOrderReads reads;
    private final OrderUpdates updates;
    private final DinerSessions sessions;
    private final RateLimiter limiter;
    private final PlacementConfig config;
    private final TableRegistry tables;
    private final TableCarts carts;

    public DinerOrderResource(
            OrderPlacement placement,
            OrderQueries queries,
            OrderRefunds refunds,
            DinerOrderReads reads,
            OrderUpdates updates,
            DinerSessions sessions,
            RateLimiter limiter,
            PlacementConfig config,
            TableRegistry tables,
            TableCarts carts) {
        this.placement = placement;
        this.queries = queries;
        this.refunds = refunds;
        this.reads = reads;
        this.updates = updates;
        this.sessions = sessions;
        this.limiter = limiter;
        this.config = config;
        this.tables = tables;
        this.carts = carts;
    }

    /**
     * The body of POST /api/v1/orders.
     *
     * @param tableScene the 30-character signed scene of the table's QR code; when absent, the
     *     scene given at login is used
     * @param lines what is ordered
     * @param remark note for the kitchen (at most 200 characters)
     * @param partySize diners at the table, 1-99; 1 when absent
     * @param cartVersion instead of {@code lines}: order the table's shared cart as it was at this
     *     version (the {@code version} the diner confirmed); the cart is emptied after the order is
     *     placed, unless someone changed it meanwhile
     */
    public record PlaceOrderBody(
            String tableScene,
            List<LineBody> lines,
            String remark,
            Integer partySize,
            Long cartVersion) {}

    /** One line: a SKU or combo code of the current menu, a quantity and an optional note. */
    public record LineBody(String skuCode, Integer quantity, String note) {}

    /**
     * The body of POST /api/v1/orders/{orderId}/refunds.
     *
     * @param refundFen amount in fen; everything paid and not yet refunded when absent (with {@code
     *     lines}: absent, or the lines' sum)
     * @param reason why, required (at most 200 characters)
     * @param lines order lines to refund (a single-item refund); absent or empty for an amount
     */
    public record RefundBody(Long refundFen, String reason, List<RefundLineBody> lines) {

        /** A refund of an amount. */
        public RefundBody(Long refundFen, String reason) {
            this(refundFen, reason, null);
        }
    }

    /** One order line to refund: its {@code lineId} from the order and how many of it. */
    public record RefundLineBody(String lineId, Integer quantity) {}

    /** A refund request's outcome and the order after it. */
    public record RefundResponse(UUID refundId, String refundState, DinerOrderView order) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "Place an order",
            description =
                    "Prices every line from the store's current menu and creates a"
                            + " PENDING_PAYMENT order with a pickup number. Repeating the request"
                            + " with the same Idempotency-Key and body returns the same order"
                            + " (200); the same key with a different body is refused (409).")
    @APIResponse(responseCode = "201", description = "Order placed")
    @APIResponse(responseCode = "200", description = "Repeat of an already placed order")
    @APIResponse(responseCode = "409", description = "Key reused, SKU sold out or no menu")
    @APIResponse(responseCode = "422", description = "Unknown SKU or order limit exceeded")
    @APIResponse(responseCode = "429", description = "Ordering too often (see Retry-After)")
    public Response place(
            @HeaderParam("Authorization") String authorization,
            @Parameter(
                            name = KEY_HEADER,
                            in = ParameterIn.HEADER,
                            required = true,
                            description = "1-64 characters chosen by the client, new per order")
                    @HeaderParam(KEY_HEADER)
                    String idempotencyKey,
            PlaceOrderBody body,
            @Context HttpServerRequest http) {
        DinerSession session = session(authorization);
        if (idempotencyKey == null) {
            throw new DinerApiException(
                    400,
                    "IDEMPOTENCY_KEY_MISSING",
                    KEY_HEADER + ": header is required (1-64 characters, new for each order)");
        }
        if (body == null) {
            throw new DinerApiException(400, "INVALID_REQUEST", "body: a JSON order is required");
        }
        String scene = body.tableScene() != null ? body.tableScene() : session.tableScene();
        if (body.cartVersion() != null) {
            return placeFromCart(session, idempotencyKey, body, scene, http);
        }
        List<PlaceOrderCommand.Line> lines = null;
        if (body.lines() != null) {
            lines =
                    body.lines().stream()
                            .map(
                                    l ->
                                            l == null
                                                    ? null
                                                    : new PlaceOrderCommand.Line(
                                                            l.skuCode(),
                                                            l.quantity() == null ? 0 : l.quantity(),
                                                            l.note()))
                            .toList();
        }
        return placed(place(session, idempotencyKey, body, scene, lines, http));
    }

    /**
     * Orders the table's shared cart at the version the diner confirmed. The cart is only read
     * before the order is placed and emptied after, so a refused order loses nothing from it; a
     * repeat after the cart was emptied is answered from the key's order.
     */
    private Response placeFromCart(
            DinerSession session,
            String idempotencyKey,
            PlaceOrderBody body,
            String scene,
            HttpServerRequest http) {
        if (body.lines() != null && !body.lines().isEmpty()) {
            throw new DinerApiException(
                    400, "INVALID_REQUEST", "lines: give either lines or cartVersion, not both");
        }
        if (scene == null) {
            throw new DinerApiException(
                    400, "INVALID_REQUEST", "tableScene: required to order the table's cart");
        }
        TableRef table = TableRef.of(tables.resolve(scene));
        Checkout cart;
        try {
            cart = carts.confirm(table, body.cartVersion());
        } catch (CartException e) {
            Optional<OrderView> earlier =
                    placement.placedBy(table.storeCode(), idempotencyKey, session.openid());
            if (earlier.isPresent()) {
                return placed(new PlacementResult(earlier.get(), true));
            }
            throw e;
        }
        List<PlaceOrderCommand.Line> lines =
                cart.lines().stream()
                        .map(l -> new PlaceOrderCommand.Line(l.sku(), l.quantity(), l.note()))
                        .toList();
        PlacementResult result = place(session, idempotencyKey, body, scene, lines, http);
        carts.clearOrdered(table, cart.checkedOutVersion());
        return placed(result);
    }

    private PlacementResult place(
            DinerSession session,
            String idempotencyKey,
            PlaceOrderBody body,
            String scene,
            List<PlaceOrderCommand.Line> lines,
            HttpServerRequest http) {
        PlaceOrderCommand cmd =
                new PlaceOrderCommand(
                        scene,
                        null,
                        idempotencyKey,
                        new Actor(ActorKind.DINER, session.openid()),
                        lines,
                        body.remark(),
                        body.partySize() == null ? 1 : body.partySize());
        String ip = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        return DinerErrors.translate(
                "ORDER_LIMIT_EXCEEDED",
                () -> placement.place(cmd, () -> limit(ip, session.openid())));
    }

    private static Response placed(PlacementResult result) {
        DinerOrderView view = DinerOrderView.of(result.order());
        if (result.replayed()) {
            return Response.ok(view).header("Idempotent-Replayed", "true").build();
        }
        return Response.created(URI.create("/api/v1/orders/" + view.orderId()))
                .entity(view)
                .build();
    }

    @GET
    @Path("{orderId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Read one of the diner's orders, with lines, totals and state history")
    public DinerOrderView get(
            @HeaderParam("Authorization") String authorization,
            @PathParam("orderId") String orderId) {
        DinerSession session = session(authorization);
        UUID id = orderId(orderId);
        return DinerErrors.translate(
                "AMOUNT_OUT_OF_RANGE",
                () -> {
                    reads.requireOwner(id, session.openid());
                    return DinerOrderView.of(queries.get(id));
                });
    }

    @GET
    @Path("{orderId}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "Follow an order live",
            description =
                    "Server-sent events: the current status first, then a new one within a"
                            + " second of every state change.")
    public Multi<OrderStatus> events(
            @HeaderParam("Authorization") String authorization,
            @PathParam("orderId") String orderId) {
        DinerSession session = session(authorization);
        UUID id = orderId(orderId);
        OrderStatus initial =
                DinerErrors.translate(
                        "AMOUNT_OUT_OF_RANGE",
                        () -> {
                            reads.requireOwner(id, session.openid());
                            return reads.status(id);
                        });
        return updates.stream(initial);
    }

    @POST
    @Path("{orderId}/refunds")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(
            summary = "Ask for a refund",
            description =
                    "Before the store accepts the order a full refund is self-service; while the"
                            + " kitchen works on it the request waits for staff approval, and an"
                            + " approved partial refund leaves the order cooking; from SERVED on"
                            + " no refund is possible (409). A diner cannot add a refund to an"
                            + " order that is already REFUNDING or PARTIALLY_REFUNDED (403).")
    public RefundResponse refund(
            @HeaderParam("Authorization") String authorization,
            @Parameter(
                            name = KEY_HEADER,
                            in = ParameterIn.HEADER,
                            required = true,
                            description = "1-64 characters chosen by the client, new per refund")
                    @HeaderParam(KEY_HEADER)
                    String idempotencyKey,
            @PathParam("orderId") String orderId,
            RefundBody body) {
        DinerSession session = session(authorization);
        UUID id = orderId(orderId);
        if (idempotencyKey == null) {
            throw new DinerApiException(
                    400,
                    "IDEMPOTENCY_KEY_MISSING",
                    KEY_HEADER + ": header is required (1-64 characters, new for each refund)");
        }
        if (body == null) {
            throw new DinerApiException(
                    400, "INVALID_REQUEST", "body: a JSON refund request is required");
        }
        return DinerErrors.translate(
                "REFUND_AMOUNT_OUT_OF_RANGE",
                () -> {
                    reads.requireOwner(id, session.openid());
                    List<OrderRefunds.LineRequest> lines = refundLines(body.lines());
                    long amount =
                            body.refundFen() != null
                                    ? body.refundFen()
                                    : lines.isEmpty() ? open(queries.get(id)) : 0;
                    OrderRefunds.RefundOutcome outcome =
                            refunds.request(
                                    id,
                                    idempotencyKey,
                                    amount,
                                    lines,
                                    body.reason(),
                                    new Actor(ActorKind.DINER, session.openid()));
                    return new RefundResponse(
                            outcome.refundId(),
                            outcome.refundState(),
                            DinerOrderView.of(queries.get(id)));
                });
    }

    /** The body's lines as the domain takes them; IllegalArgumentException names the field. */
    private static List<OrderRefunds.LineRequest> refundLines(List<RefundLineBody> lines) {
        if (lines == null) {
            return List.of();
        }
        List<OrderRefunds.LineRequest> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            RefundLineBody line = lines.get(i);
            String at = "lines[" + i + "]";
            if (line == null || line.lineId() == null) {
                throw new IllegalArgumentException(at + ".lineId is required");
            }
            UUID lineId;
            try {
                lineId = UUID.fromString(line.lineId());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        at
                                + ".lineId must be a line id (UUID) of the order, got '"
                                + line.lineId()
                                + "'");
            }
            if (line.quantity() == null) {
                throw new IllegalArgumentException(at + ".quantity is required");
            }
            out.add(new OrderRefunds.LineRequest(lineId, line.quantity()));
        }
        return out;
    }

    /** Paid, not refunded and not already asked for in a pending refund: "everything". */
    private static long open(OrderView o) {
        long pending =
                o.refunds().stream()
                        .filter(
                                r ->
                                        r.state().equals("AWAITING_APPROVAL")
                                                || r.state().equals("PROCESSING"))
                        .mapToLong(OrderView.Refund::refundFen)
                        .sum();
        long open = o.paidFen() - o.refundedFen() - pending;
        // Nothing left (e.g. a repeat of this very request): ask for the paid remainder, so a
        // repeat finds its refund by key and anything else gets the amount error with figures.
        return open >= 1 ? open : Math.max(1, o.paidFen() - o.refundedFen());
    }

    private void limit(String ip, String openid) {
        PlacementConfig.RateLimit limits = config.rateLimit();
        enforce(limiter.acquire("order-ip", ip, limits.ordersPerIp(), limits.window()), "IP " + ip);
        enforce(
                limiter.acquire("order-openid", openid, limits.ordersPerOpenid(), limits.window()),
                "this diner");
    }

    private static void enforce(RateLimiter.Decision decision, String who) {
        if (!decision.allowed()) {
            throw new DinerApiException(
                    429,
                    "RATE_LIMITED",
                    "too many new orders from "
                            + who
                            + "; retry in "
                            + decision.retryAfterSeconds()
                            + " s (repeats of a placed order with its Idempotency-Key are not"
                            + " counted)",
                    decision.retryAfterSeconds(),
                    null);
        }
    }

    private DinerSession session(String authorization) {
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        return sessions.resolve(token);
    }

    private static UUID orderId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new DinerApiException(
                    400, "INVALID_REQUEST", "orderId: '" + value + "' is not an order id (UUID)");
        }
    }
}
