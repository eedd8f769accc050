package io.scanorder.order.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.scanorder.order.state.OrderQueries;
import io.scanorder.order.state.OrderRefunds;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.order.state.OrderView;
import io.scanorder.proto.order.v1.AcceptOrderRequest;
import io.scanorder.proto.order.v1.AdvanceOrderRequest;
import io.scanorder.proto.order.v1.ApproveRefundRequest;
import io.scanorder.proto.order.v1.CancelOrderRequest;
import io.scanorder.proto.order.v1.GetOrderRequest;
import io.scanorder.proto.order.v1.ListOrdersRequest;
import io.scanorder.proto.order.v1.ListOrdersResponse;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.PlaceOrderRequest;
import io.scanorder.proto.order.v1.RejectOrderRequest;
import io.scanorder.proto.order.v1.RequestRefundRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * gRPC OrderService for staff and POS: translates proto to domain calls on {@link
 * OrderTransitions}, {@link OrderRefunds} and {@link OrderQueries}, and domain errors to status
 * codes ({@link GrpcErrors}). Every rpc does blocking JDBC work, hence {@link Blocking}.
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

    @Override
    public void placeOrder(PlaceOrderRequest request, StreamObserver<Order> response) {
        response.onError(
                Status.UNIMPLEMENTED
                        .withDescription(
                                "PlaceOrder is not available yet in this build: placement needs"
                                        + " the published menu (price snapshot), which this"
                                        + " server does not serve yet")
                        .asRuntimeException());
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
                    refunds.request(
                            id,
                            request.getIdempotencyKey(),
                            request.getRefundFen(),
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
