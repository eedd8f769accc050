package io.scanorder.order.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.order.v1.AcceptOrderRequest;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.AdvanceOrderRequest;
import io.scanorder.proto.order.v1.ApproveRefundRequest;
import io.scanorder.proto.order.v1.CancelOrderRequest;
import io.scanorder.proto.order.v1.GetOrderRequest;
import io.scanorder.proto.order.v1.ListOrdersRequest;
import io.scanorder.proto.order.v1.ListOrdersResponse;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.PlaceOrderRequest;
import io.scanorder.proto.order.v1.RefundLineInput;
import io.scanorder.proto.order.v1.RefundState;
import io.scanorder.proto.order.v1.RejectOrderRequest;
import io.scanorder.proto.order.v1.RequestRefundRequest;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Staff rpcs over a real grpc-java channel to the separate gRPC server of the test app. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class OrderGrpcServiceIT {
    private static final Actor STAFF =
            Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_STAFF).setId("staff-wang").build();
    private static final Actor DINER =
            Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_DINER).setId("openid-o6_bm").build();

    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;

    private ManagedChannel channel;
    private OrderServiceGrpc.OrderServiceBlockingStub orders;
    private OrderFixture fixture;
    private OrderFixture.Store store;

    @BeforeEach
    void connect() throws SQLException {
        channel = OwnGrpcChannel.open();
        orders = OrderServiceGrpc.newBlockingStub(channel);
        fixture = new OrderFixture(dataSource, transitions);
        store = fixture.store(null);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private OrderServiceGrpc.OrderServiceBlockingStub stub() {
        return orders.withDeadlineAfter(20, TimeUnit.SECONDS);
    }

    @Test
    void acceptMovesAPaidOrderAndRepeatingItChangesNothing() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.PAID);
        AcceptOrderRequest accept =
                AcceptOrderRequest.newBuilder().setOrderId(id.toString()).setActor(STAFF).build();

        Order accepted = stub().acceptOrder(accept);
        Order again = stub().acceptOrder(accept);

        assertThat(accepted.getState())
                .isEqualTo(io.scanorder.proto.order.v1.OrderState.ORDER_STATE_ACCEPTED);
        assertThat(accepted.getStoreCode()).isEqualTo(store.storeCode());
        assertThat(accepted.getLinesList()).hasSize(1);
        assertThat(accepted.getLines(0).getLineTotalFen()).isEqualTo(3800);
        assertThat(accepted.getPaidFen()).isEqualTo(3800);
        assertThat(accepted.hasPaymentDeadline()).isFalse();
        assertThat(accepted.getEventsList())
                .extracting(e -> e.getToState().name())
                .containsExactly(
                        "ORDER_STATE_PENDING_PAYMENT", "ORDER_STATE_PAID", "ORDER_STATE_ACCEPTED");
        assertThat(accepted.getEvents(2).getActor()).isEqualTo(STAFF);
        assertThat(again.getEventsList()).hasSize(3);
    }

    @Test
    void acceptingAnUnpaidOrderFailsThePreconditionNamingTheState() throws SQLException {
        UUID id = fixture.pendingOrder(store);
        assertStatus(
                () ->
                        stub().acceptOrder(
                                        AcceptOrderRequest.newBuilder()
                                                .setOrderId(id.toString())
                                                .setActor(STAFF)
                                                .build()),
                Status.Code.FAILED_PRECONDITION,
                "cannot move order " + id + " from PENDING_PAYMENT to ACCEPTED");
    }

    @Test
    void dinerCannotAcceptAnOrder() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.PAID);
        assertStatus(
                () ->
                        stub().acceptOrder(
                                        AcceptOrderRequest.newBuilder()
                                                .setOrderId(id.toString())
                                                .setActor(DINER)
                                                .build()),
                Status.Code.PERMISSION_DENIED,
                "only STAFF may make this move");
    }

    @Test
    void badRequestsAreInvalidArgumentsNamingTheField() {
        assertStatus(
                () -> stub().getOrder(GetOrderRequest.newBuilder().setOrderId("order-42").build()),
                Status.Code.INVALID_ARGUMENT,
                "order_id must be a UUID, got 'order-42'");
        assertStatus(
                () ->
                        stub().acceptOrder(
                                        AcceptOrderRequest.newBuilder()
                                                .setOrderId(UUID.randomUUID().toString())
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "actor is required");
        assertStatus(
                () ->
                        stub().acceptOrder(
                                        AcceptOrderRequest.newBuilder()
                                                .setOrderId(UUID.randomUUID().toString())
                                                .setActor(Actor.newBuilder().setId("x"))
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "actor.kind is required");
    }

    @Test
    void unknownOrderIsNotFound() {
        String id = UUID.randomUUID().toString();
        assertStatus(
                () -> stub().getOrder(GetOrderRequest.newBuilder().setOrderId(id).build()),
                Status.Code.NOT_FOUND,
                "order " + id + " does not exist");
    }

    @Test
    void advanceWalksTheKitchenPathOneStepAtATime() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.ACCEPTED);
        assertStatus(
                () -> stub().advanceOrder(advance(id, "ORDER_STATE_READY")),
                Status.Code.FAILED_PRECONDITION,
                "cannot move order "
                        + id
                        + " from ACCEPTED to READY: not a transition of the order state machine;"
                        + " from ACCEPTED the order can only move to DISPATCHING, REFUNDING");

        for (String target :
                new String[] {
                    "ORDER_STATE_DISPATCHING",
                    "ORDER_STATE_COOKING",
                    "ORDER_STATE_READY",
                    "ORDER_STATE_SERVED",
                    "ORDER_STATE_COMPLETED"
                }) {
            assertThat(stub().advanceOrder(advance(id, target)).getState().name())
                    .isEqualTo(target);
        }
        assertStatus(
                () -> stub().advanceOrder(advance(id, "ORDER_STATE_REFUNDING")),
                Status.Code.INVALID_ARGUMENT,
                "target_state must be one of");
    }

    @Test
    void rejectingAPaidOrderStartsAFullRefund() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.PAID);
        assertStatus(
                () ->
                        stub().rejectOrder(
                                        RejectOrderRequest.newBuilder()
                                                .setOrderId(id.toString())
                                                .setActor(STAFF)
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "reason is required to reject an order");

        RejectOrderRequest reject =
                RejectOrderRequest.newBuilder()
                        .setOrderId(id.toString())
                        .setActor(STAFF)
                        .setReason("sold out of beef")
                        .build();
        Order rejected = stub().rejectOrder(reject);
        Order again = stub().rejectOrder(reject);

        assertThat(rejected.getState().name()).isEqualTo("ORDER_STATE_REFUNDING");
        assertThat(rejected.getRefundsList()).hasSize(1);
        assertThat(rejected.getRefunds(0).getRefundFen()).isEqualTo(3800);
        assertThat(rejected.getRefunds(0).getState())
                .isEqualTo(RefundState.REFUND_STATE_PROCESSING);
        assertThat(rejected.getRefunds(0).getDecidedBy()).isEqualTo(STAFF);
        assertThat(again.getRefundsList()).hasSize(1);
        assertThat(again.getEventsList()).hasSize(rejected.getEventsCount());
    }

    @Test
    void dinerRefundWhileCookingWaitsForStaffApproval() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.COOKING);
        Order requested = stub().requestRefund(refund(id, "k1", 1900, DINER));
        assertThat(requested.getState().name()).isEqualTo("ORDER_STATE_COOKING");
        assertThat(requested.getRefunds(0).getState())
                .isEqualTo(RefundState.REFUND_STATE_AWAITING_APPROVAL);
        assertThat(requested.getRefunds(0).hasDecidedBy()).isFalse();
        String refundId = requested.getRefunds(0).getRefundId();

        // The same idempotency key returns the same refund.
        assertThat(stub().requestRefund(refund(id, "k1", 1900, DINER)).getRefundsList()).hasSize(1);

        ApproveRefundRequest approve =
                ApproveRefundRequest.newBuilder()
                        .setOrderId(id.toString())
                        .setRefundId(refundId)
                        .setApprove(true)
                        .setApprover(STAFF)
                        .build();
        Order approved = stub().approveRefund(approve);
        // 1900 of 3800 fen: a partial refund, so the kitchen carries on.
        assertThat(approved.getState().name()).isEqualTo("ORDER_STATE_COOKING");
        assertThat(approved.getRefunds(0).getState())
                .isEqualTo(RefundState.REFUND_STATE_PROCESSING);
        assertThat(approved.getRefunds(0).getDecidedBy()).isEqualTo(STAFF);
        assertThat(stub().approveRefund(approve).getEventsCount())
                .isEqualTo(approved.getEventsCount());

        assertStatus(
                () ->
                        stub().approveRefund(
                                        approve.toBuilder()
                                                .setApprove(false)
                                                .setReason("changed my mind")
                                                .build()),
                Status.Code.FAILED_PRECONDITION,
                "was already approved");
    }

    @Test
    void refundAfterServingIsRefused() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.SERVED);
        assertStatus(
                () -> stub().requestRefund(refund(id, "k1", 3800, STAFF)),
                Status.Code.FAILED_PRECONDITION,
                "cannot move order "
                        + id
                        + " from SERVED to REFUNDING: refunds are not allowed after SERVED");
        assertThat(
                        stub().getOrder(
                                        GetOrderRequest.newBuilder()
                                                .setOrderId(id.toString())
                                                .build())
                                .getRefundsList())
                .isEmpty();
    }

    @Test
    void refundAboveWhatWasPaidIsOutOfRange() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.COOKING);
        assertStatus(
                () -> stub().requestRefund(refund(id, "k1", 3801, DINER)),
                Status.Code.OUT_OF_RANGE,
                "refund_fen 3801 exceeds the 3800 fen");
    }

    @Test
    void refundOfOneOrderLineIsPricedFromItsSnapshotAndBoundedByItsQuantity() throws SQLException {
        UUID id = fixture.orderIn(store, OrderState.COOKING); // one line: 2 x 1900
        Order cooking =
                stub().getOrder(GetOrderRequest.newBuilder().setOrderId(id.toString()).build());
        String lineId = cooking.getLines(0).getLineId();

        Order refunded =
                stub().requestRefund(
                                refund(id, "k1", 0, DINER).toBuilder()
                                        .addLines(
                                                RefundLineInput.newBuilder()
                                                        .setLineId(lineId)
                                                        .setQuantity(1))
                                        .build());

        assertThat(refunded.getState().name()).isEqualTo("ORDER_STATE_COOKING");
        assertThat(refunded.getRefunds(0).getState())
                .isEqualTo(RefundState.REFUND_STATE_AWAITING_APPROVAL);
        assertThat(refunded.getRefunds(0).getRefundFen()).isEqualTo(1900);
        assertThat(refunded.getRefunds(0).getLinesList())
                .singleElement()
                .satisfies(
                        l -> {
                            assertThat(l.getLineId()).isEqualTo(lineId);
                            assertThat(l.getQuantity()).isEqualTo(1);
                            assertThat(l.getRefundFen()).isEqualTo(1900);
                        });
        assertStatus(
                () ->
                        stub().requestRefund(
                                        refund(id, "k2", 0, DINER).toBuilder()
                                                .addLines(
                                                        RefundLineInput.newBuilder()
                                                                .setLineId(lineId)
                                                                .setQuantity(2))
                                                .build()),
                Status.Code.OUT_OF_RANGE,
                "ordered 2, already refunded or being refunded 1, left 1");
        assertStatus(
                () ->
                        stub().requestRefund(
                                        refund(id, "k3", 0, DINER).toBuilder()
                                                .addLines(
                                                        RefundLineInput.newBuilder()
                                                                .setLineId("line-1")
                                                                .setQuantity(1))
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "lines[0].line_id must be a UUID");
    }

    @Test
    void cancelWorksOnlyBeforePayment() throws SQLException {
        UUID pending = fixture.pendingOrder(store);
        UUID paid = fixture.orderIn(store, OrderState.PAID);

        assertThat(stub().cancelOrder(cancel(pending)).getState().name())
                .isEqualTo("ORDER_STATE_CANCELLED");
        assertStatus(
                () -> stub().cancelOrder(cancel(paid)),
                Status.Code.FAILED_PRECONDITION,
                "from PAID to CANCELLED");
    }

    @Test
    void listPagesNewestFirstAndFiltersByState() throws SQLException {
        UUID first = fixture.pendingOrder(store);
        UUID second = fixture.orderIn(store, OrderState.PAID);
        UUID third = fixture.pendingOrder(store);

        ListOrdersResponse page1 =
                stub().listOrders(
                                ListOrdersRequest.newBuilder()
                                        .setStoreCode(store.storeCode())
                                        .setPageSize(2)
                                        .build());
        ListOrdersResponse page2 =
                stub().listOrders(
                                ListOrdersRequest.newBuilder()
                                        .setStoreCode(store.storeCode())
                                        .setPageSize(2)
                                        .setPageToken(page1.getNextPageToken())
                                        .build());
        ListOrdersResponse paidOnly =
                stub().listOrders(
                                ListOrdersRequest.newBuilder()
                                        .setStoreCode(store.storeCode())
                                        .addStates(
                                                io.scanorder.proto.order.v1.OrderState
                                                        .ORDER_STATE_PAID)
                                        .build());

        assertThat(page1.getOrdersList())
                .extracting(Order::getOrderId)
                .containsExactly(third.toString(), second.toString());
        assertThat(page2.getOrdersList())
                .extracting(Order::getOrderId)
                .containsExactly(first.toString());
        assertThat(page2.getNextPageToken()).isEmpty();
        assertThat(paidOnly.getOrdersList())
                .extracting(Order::getOrderId)
                .containsExactly(second.toString());
    }

    @Test
    void listRefusesBadPagingAndUnknownStores() {
        assertStatus(
                () ->
                        stub().listOrders(
                                        ListOrdersRequest.newBuilder()
                                                .setStoreCode(store.storeCode())
                                                .setPageSize(201)
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "page_size must be 0-200, got 201");
        assertStatus(
                () ->
                        stub().listOrders(
                                        ListOrdersRequest.newBuilder()
                                                .setStoreCode(store.storeCode())
                                                .setPageToken("forged")
                                                .build()),
                Status.Code.INVALID_ARGUMENT,
                "page_token 'forged' was not issued by ListOrders");
        assertStatus(
                () -> stub().listOrders(ListOrdersRequest.newBuilder().setStoreCode("abc").build()),
                Status.Code.NOT_FOUND,
                "store 'abc' does not exist");
    }

    @Test
    void placeOrderWithoutWhoPlacesItIsInvalid() {
        assertStatus(
                () -> stub().placeOrder(PlaceOrderRequest.newBuilder().build()),
                Status.Code.INVALID_ARGUMENT,
                "placed_by is required");
    }

    private static AdvanceOrderRequest advance(UUID id, String target) {
        return AdvanceOrderRequest.newBuilder()
                .setOrderId(id.toString())
                .setTargetState(io.scanorder.proto.order.v1.OrderState.valueOf(target))
                .setActor(STAFF)
                .build();
    }

    private static RequestRefundRequest refund(UUID id, String key, long fen, Actor by) {
        return RequestRefundRequest.newBuilder()
                .setOrderId(id.toString())
                .setIdempotencyKey(key)
                .setRefundFen(fen)
                .setReason("soup was cold")
                .setRequestedBy(by)
                .build();
    }

    private static CancelOrderRequest cancel(UUID id) {
        return CancelOrderRequest.newBuilder()
                .setOrderId(id.toString())
                .setActor(DINER)
                .setReason("wrong table")
                .build();
    }

    private static void assertStatus(ThrowingCallable call, Status.Code code, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        StatusRuntimeException.class,
                        e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(code);
                            assertThat(e.getStatus().getDescription()).contains(message);
                        });
    }
}
