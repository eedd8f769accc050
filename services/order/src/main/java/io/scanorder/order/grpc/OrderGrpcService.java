package io.scanorder.order.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.scanorder.order.kitchen.TicketOutbox;
import io.scanorder.order.kitchen.TicketResolutions;
import io.scanorder.order.placement.OrderPlacement;
import io.scanorder.order.placement.PlaceOrderCommand;
import io.scanorder.order.placement.PlacementRefusedException;
import io.scanorder.order.placement.PlacementResult;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.OrderQueries;
import io.scanorder.order.state.OrderRefunds;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.order.state.OrderView;
import io.scanorder.order.table.TableCodeError;
import io.scanorder.order.table.TableCodeException;
import io.scanorder.proto.order.v1.AcceptOrderRequest;
import io.scanorder.proto.order.v1.AdvanceOrderRequest;
import io.scanorder.proto.order.v1.ApproveRefundRequest;
import io.scanorder.proto.order.v1.CancelOrderRequest;
import io.scanorder.proto.order.v1.GetOrderRequest;
import io.scanorder.proto.order.v1.KitchenTicket;
import io.scanorder.proto.order.v1.ListOrdersRequest;
import io.scanorder.proto.order.v1.ListOrdersResponse;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.PlaceOrderRequest;
import io.scanorder.proto.order.v1.RejectOrderRequest;
import io.scanorder.proto.order.v1.RequestRefundRequest;
import io.scanorder.proto.order.v1.ResolveTicketRequest;
import io.scanorder.proto.order.v1.ResolveTicketResponse;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * gRPC OrderService for staff and POS: translates proto to domain calls on {@link OrderPlacement},
 * {@link OrderTransitions}, {@link OrderRefunds} and {@link OrderQueries}, and domain errors to
 * status codes ({@link GrpcErrors}). Every rpc does blocking JDBC work, hence {@link Blocking}.
 */
@GrpcService
@Blocking
public class OrderGrpcService extends OrderServiceGrpc.OrderServiceImplBase {
    /** Targets AdvanceOrder accepts: the kitchen path after acceptance. */
    static final Set<OrderState> KITCHEN_PATH =
            EnumSet.of(
                    OrderState.DISPATCHING,
                    OrderState.COOKING,
                    OrderState.READY,
                    OrderState.SERVED,
                    OrderState.COMPLETED);

    @Inject OrderTransitions transitions;
    @Inject OrderRefunds refunds;
    @Inject OrderQueries queries;
    @Inject OrderPlacement placement;
    @Inject TicketResolutions resolutions;

    @Override
    public void placeOrder(PlaceOrderRequest request, StreamObserver<Order> response) {
        PlacementResult result;
        try {
            List<PlaceOrderCommand.Line> lines = new ArrayList<>();
            request.getLinesList()
                    .forEach(
                            l ->
                                    lines.add(
                                            new PlaceOrderCommand.Line(
                                                    l.getSkuCode(), l.getQuantity(), l.getNote())));
            PlaceOrderCommand cmd =
                    new PlaceOrderCommand(
                            request.getTableCode(),
                            request.getStoreCode(),
                            request.getIdempotencyKey(),
                            OrderProtos.actor(
                                    request.hasPlacedBy(), request.getPlacedBy(), "placed_by"),
                            lines,
                            request.getRemark(),
                            // Unset (0) means one diner, as on the diner REST API.
                            request.getPartySize() == 0 ? 1 : request.getPartySize());
            result = placement.place(cmd, () -> {});
        } catch (PlacementRefusedException e) {
            response.onError(
                    placementStatus(e.reason())
                            .withDescription(e.getMessage())
                            .asRuntimeException());
            return;
        } catch (TableCodeException e) {
            response.onError(
                    tableStatus(e.reason())
                            .withDescription(e.reason() + ": " + e.getMessage())
                            .asRuntimeException());
            return;
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        response.onNext(OrderProtos.toProto(result.order()));
        response.onCompleted();
    }

    private static Status placementStatus(PlacementRefusedException.Reason reason) {
        return switch (reason) {
            case INVALID_REQUEST, SKU_UNKNOWN -> Status.INVALID_ARGUMENT;
            case SKU_SOLD_OUT, MENU_UNAVAILABLE -> Status.FAILED_PRECONDITION;
            case IDEMPOTENCY_KEY_REUSED -> Status.ALREADY_EXISTS;
        };
    }

    private static Status tableStatus(TableCodeError reason) {
        return switch (reason.httpStatus()) {
            case 400 -> Status.INVALID_ARGUMENT;
            case 403 -> Status.PERMISSION_DENIED;
            case 404 -> Status.NOT_FOUND;
            default -> Status.FAILED_PRECONDITION;
        };
    }

    @Override
    public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
        reply(response, () -> read(OrderProtos.uuid(request.getOrderId(), "order_id")));
    }

    @Override
    public void listOrders(ListOrdersRequest request, StreamObserver<ListOrdersResponse> response) {
        reply(
                response,
                () -> {
                    if (request.getStoreCode().isEmpty()) {
                        throw new IllegalArgumentException("store_code is required");
                    }
                    Set<OrderState> states = new LinkedHashSet<>();
                    for (int i = 0; i < request.getStatesCount(); i++) {
                        states.add(
                                OrderProtos.fromProto(request.getStates(i), "states[" + i + "]"));
                    }
                    OrderQueries.Page page =
                            queries.list(
                                    request.getStoreCode(),
                                    states,
                                    request.getPageSize(),
                                    request.getPageToken());
                    ListOrdersResponse.Builder b =
                            ListOrdersResponse.newBuilder().setNextPageToken(page.nextPageToken());
                    page.orders().forEach(o -> b.addOrders(OrderProtos.toProto(o)));
                    return b.build();
                });
    }

    @Override
    public void acceptOrder(AcceptOrderRequest request, StreamObserver<Order> response) {
        reply(
                response,
                () -> {
                    UUID id = OrderProtos.uuid(request.getOrderId(), "order_id");
                    transitions.move(
                            id,
                            OrderState.ACCEPTED,
                            OrderProtos.actor(request.hasActor(), request.getActor(), "actor"),
                            "accepted by staff");
                    return read(id);
                });
    }

    @Override
    public void rejectOrder(RejectOrderRequest request, StreamObserver<Order> response) {
        reply(
                response,
                () -> {
                    UUID id = OrderProtos.uuid(request.getOrderId(), "order_id");
                    refunds.reject(
                            id,
                            OrderProtos.actor(request.hasActor(), request.getActor(), "actor"),
                            request.getReason());
                    return read(id);
                });
    }

    @Override
    public void advanceOrder(AdvanceOrderRequest request, StreamObserver<Order> response) {
        reply(
                response,
                () -> {
                    UUID id = OrderProtos.uuid(request.getOrderId(), "order_id");
                    OrderState target =
                            OrderProtos.fromProto(request.getTargetState(), "target_state");
                    if (!KITCHEN_PATH.contains(target)) {
                        throw new IllegalArgumentException(
                                "target_state must be one of "
                                        + KITCHEN_PATH
                                        + ", got "
                                        + target
                                        + "; use AcceptOrder, RejectOrder, CancelOrder or"
                                        + " RequestRefund for other moves");
                    }
                    transitions.move(
                            id,
                            target,
                            OrderProtos.actor(request.hasActor(), request.getActor(), "actor"),
                            request.getReason());
                    return read(id);
                });
    }

    @Override
    public void cancelOrder(CancelOrderRequest request, StreamObserver<Order> response) {
        reply(
                response,
                () -> {
                    UUID id = OrderProtos.uuid(request.getOrderId(), "order_id");
                    transitions.move(
                            id,
                            OrderState.CANCELLED,
                            OrderProtos.actor(request.hasActor(), request.getActor(), "actor"),
                            request.getReason());
                    return read(id);
                });
    }

    @Override
    public void requestRefund(RequestRefundRequest request, StreamObserver<Order> response) {
        reply(
                response,
                () -> {
                    UUID id = OrderProtos.uuid(request.getOrderId(), "order_id");
                    List<OrderRefunds.LineRequest> lines = new ArrayList<>();
                    for (int i = 0; i < request.getLinesCount(); i++) {
                        lines.add(
                                new OrderRefunds.LineRequest(
                                        OrderProtos.uuid(
                                                request.getLines(i).getLineId(),
                                                "lines[" + i + "].line_id"),
                                        request.getLines(i).getQuantity()));
                    }
                    refunds.request(
                            id,
                            request.getIdempotencyKey(),
                            request.getRefundFen(),
                            lines,
                            request.getReason(),
                            OrderProtos.actor(
                                    request.hasRequestedBy(),
                                    request.getRequestedBy(),
                                    "requested_by"));
                    return read(id);
                });
    }

    @Override
    public void approveRefund(ApproveRefundRequest request, StreamObserver<Order> response) {
        reply(
                response,
                () -> {
                    UUID id = OrderProtos.uuid(request.getOrderId(), "order_id");
                    refunds.decide(
                            id,
                            OrderProtos.uuid(request.getRefundId(), "refund_id"),
                            request.getApprove(),
                            OrderProtos.actor(
                                    request.hasApprover(), request.getApprover(), "approver"),
                            request.getReason());
                    return read(id);
                });
    }

    @Override
    public void resolveTicket(
            ResolveTicketRequest request, StreamObserver<ResolveTicketResponse> response) {
        reply(
                response,
                () -> {
                    UUID ticketId = OrderProtos.uuid(request.getTicketId(), "ticket_id");
                    TicketOutbox.Resolution outcome =
                            switch (request.getOutcome()) {
                                case TICKET_RESOLUTION_ON_PAPER -> TicketOutbox.Resolution.ON_PAPER;
                                case TICKET_RESOLUTION_REPRINT -> TicketOutbox.Resolution.REPRINT;
                                default ->
                                        throw new IllegalArgumentException(
                                                "outcome must be TICKET_RESOLUTION_ON_PAPER or"
                                                        + " TICKET_RESOLUTION_REPRINT, got "
                                                        + request.getOutcome());
                            };
                    Actor actor =
                            OrderProtos.actor(request.hasActor(), request.getActor(), "actor");
                    if (actor.kind() != ActorKind.STAFF) {
                        // only people at the printer know what is on paper
                        throw Status.PERMISSION_DENIED
                                .withDescription(
                                        "actor.kind must be ACTOR_KIND_STAFF to resolve a kitchen"
                                                + " ticket, got "
                                                + actor.kind())
                                .asRuntimeException();
                    }
                    TicketOutbox.ResolvedTicket t =
                            resolutions.resolve(
                                    ticketId,
                                    outcome,
                                    request.getDeviceId(),
                                    actor,
                                    request.getReason());
                    return ResolveTicketResponse.newBuilder()
                            .setTicket(
                                    KitchenTicket.newBuilder()
                                            .setTicketId(t.ticketId().toString())
                                            .setOrderId(t.orderId().toString())
                                            .setStation(t.station())
                                            .setDeviceId(t.deviceId() == null ? "" : t.deviceId())
                                            .setState(t.state())
                                            .setFailureReason(
                                                    t.failureReason() == null
                                                            ? ""
                                                            : t.failureReason()))
                            .setOrder(read(t.orderId()))
                            .build();
                });
    }

    private Order read(UUID id) {
        OrderView view = queries.get(id);
        return OrderProtos.toProto(view);
    }

    private static <T> void reply(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            response.onError(GrpcErrors.toStatus(e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }
}
