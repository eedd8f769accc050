package io.scanorder.payment.orders;

import com.google.protobuf.Timestamp;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.GetOrderRequest;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderEvent;
import io.scanorder.proto.order.v1.OrderLine;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.OrderState;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import io.scanorder.proto.order.v1.RecordPaymentResponse;
import io.scanorder.proto.order.v1.RecordRefundRequest;
import io.scanorder.proto.order.v1.RecordRefundResponse;
import io.scanorder.proto.order.v1.Refund;
import io.scanorder.proto.order.v1.RefundLine;
import io.scanorder.proto.order.v1.RefundState;
import io.scanorder.proto.payment.v1.RefundGoods;
import io.scanorder.proto.payment.v1.RefundRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC server (grpc-java, on a loopback port) standing in for the order service's
 * OrderPayments and OrderService.GetOrder: it records every call and its answer, refuses the orders
 * a test marks as closed with FAILED_PRECONDITION as the order service does, acknowledges
 * RecordRefund calls, answers GetOrder with the orders a test put (NOT_FOUND otherwise), and can be
 * stopped and started again on the same port to play an order service that is down.
 */
public final class RecordingOrderService implements AutoCloseable {
    /** One received call and what it was answered. */
    public record Call(RecordPaymentRequest request, Status.Code answer) {}

    private final int port;

    /** One received RecordRefund call and what it was answered. */
    public record RefundCall(RecordRefundRequest request, Status.Code answer) {}

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final List<RefundCall> refundCalls = new CopyOnWriteArrayList<>();
    private final Map<String, String> refusals = new ConcurrentHashMap<>();
    private final Map<String, String> paidBy = new ConcurrentHashMap<>();
    private final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final AtomicInteger getOrderCalls = new AtomicInteger();
    private Server server;

    public RecordingOrderService(int port) {
        this.port = port;
    }

    public int port() {
        return port;
    }

    public synchronized RecordingOrderService start() {
        if (server != null) {
            return this;
        }
        try {
            server =
                    Grpc.newServerBuilderForPort(port, InsecureServerCredentials.create())
                            .addService(new Impl())
                            .addService(new Orders())
                            .build()
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on port " + port, e);
        }
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Makes RecordPayment for this order fail with FAILED_PRECONDITION and this message. */
    public void refuse(String orderId, String message) {
        refusals.put(orderId, message);
    }

    /** Every call received for a payment attempt, in arrival order. */
    public List<Call> callsFor(String outTradeNo) {
        return calls.stream().filter(c -> c.request().getOutTradeNo().equals(outTradeNo)).toList();
    }

    /** Every RecordRefund call received for a refund, in arrival order. */
    public List<RefundCall> refundCallsFor(String outRefundNo) {
        return refundCalls.stream()
                .filter(c -> c.request().getOutRefundNo().equals(outRefundNo))
                .toList();
    }

    /** Puts or replaces the order GetOrder answers for its order_id. */
    public synchronized void putOrder(Order order) {
        orders.put(order.getOrderId(), order);
    }

    /** The order GetOrder answers for this id, if a test put one. */
    public Order order(String orderId) {
        return orders.get(orderId);
    }

    /** GetOrder calls received so far. */
    public int getOrderCalls() {
        return getOrderCalls.get();
    }

    /**
     * Records on the order what the order service records before it asks for {@code request}: staff
     * approved a refund under its out_refund_no, for its amount and goods, just now. A new order is
     * paid {@code request.total_fen}, accepted a minute ago and COOKING; its lines are the
     * request's goods. Returns the request, so a test can write {@code refund(approve(id, r))}.
     */
    public synchronized RefundRequest approve(String orderId, RefundRequest request) {
        Instant now = Instant.now();
        Order existing = orders.get(orderId);
        Order.Builder order =
                existing != null
                        ? existing.toBuilder()
                        : Order.newBuilder()
                                .setOrderId(orderId)
                                .setStoreCode(request.getStoreCode())
                                .setState(OrderState.ORDER_STATE_COOKING)
                                .setTotalFen(request.getTotalFen())
                                .setPaidFen(request.getTotalFen())
                                .addEvents(
                                        event(
                                                OrderState.ORDER_STATE_PENDING_PAYMENT,
                                                OrderState.ORDER_STATE_PAID,
                                                now.minusSeconds(120)))
                                .addEvents(
                                        event(
                                                OrderState.ORDER_STATE_PAID,
                                                OrderState.ORDER_STATE_ACCEPTED,
                                                now.minusSeconds(60)));
        Refund.Builder refund =
                Refund.newBuilder()
                        .setRefundId(UUID.randomUUID().toString())
                        .setRefundFen(request.getRefundFen())
                        .setState(RefundState.REFUND_STATE_PROCESSING)
                        .setReason(request.getReason())
                        .setRequestedBy(staff())
                        .setDecidedBy(staff())
                        .setRequestedAt(ts(now))
                        .setDecidedAt(ts(now))
                        .setOutRefundNo(request.getOutRefundNo());
        for (RefundGoods g : request.getGoodsList()) {
            String lineId = UUID.randomUUID().toString();
            order.addLines(
                    OrderLine.newBuilder()
                            .setLineId(lineId)
                            .setSkuCode(g.getMerchantGoodsId())
                            .setName(g.getGoodsName())
                            .setUnitPriceFen(g.getUnitPriceFen())
                            .setQuantity(g.getRefundQuantity())
                            .setLineTotalFen(g.getUnitPriceFen() * g.getRefundQuantity()));
            refund.addLines(
                    RefundLine.newBuilder()
                            .setLineId(lineId)
                            .setQuantity(g.getRefundQuantity())
                            .setRefundFen(g.getRefundFen()));
        }
        for (int i = order.getRefundsCount() - 1; i >= 0; i--) {
            if (order.getRefunds(i).getOutRefundNo().equals(request.getOutRefundNo())) {
                order.removeRefunds(i);
            }
        }
        order.addRefunds(refund);
        putOrder(order.build());
        return request;
    }

    private static Actor staff() {
        return Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_STAFF).setId("manager-li").build();
    }

    private static OrderEvent event(OrderState from, OrderState to, Instant at) {
        return OrderEvent.newBuilder()
                .setFromState(from)
                .setToState(to)
                .setActor(staff())
                .setOccurredAt(ts(at))
                .build();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    @Override
    public void close() {
        stop();
    }

    private final class Orders extends OrderServiceGrpc.OrderServiceImplBase {
        @Override
        public void getOrder(GetOrderRequest request, StreamObserver<Order> response) {
            getOrderCalls.incrementAndGet();
            Order order = orders.get(request.getOrderId());
            if (order == null) {
                response.onError(
                        Status.NOT_FOUND
                                .withDescription(
                                        "order " + request.getOrderId() + " does not exist")
                                .asRuntimeException());
                return;
            }
            response.onNext(order);
            response.onCompleted();
        }
    }

    private final class Impl extends OrderPaymentsGrpc.OrderPaymentsImplBase {
        @Override
        public void recordPayment(
                RecordPaymentRequest request, StreamObserver<RecordPaymentResponse> response) {
            String refusal = refusals.get(request.getOrderId());
            if (refusal != null) {
                calls.add(new Call(request, Status.Code.FAILED_PRECONDITION));
                response.onError(
                        Status.FAILED_PRECONDITION.withDescription(refusal).asRuntimeException());
                return;
            }
            String first = paidBy.putIfAbsent(request.getOrderId(), request.getTransactionId());
            calls.add(new Call(request, Status.Code.OK));
            response.onNext(
                    RecordPaymentResponse.newBuilder()
                            .setOrderId(request.getOrderId())
                            .setOrderState("PAID")
                            .setNewlyRecorded(first == null)
                            .build());
            response.onCompleted();
        }

        @Override
        public void recordRefund(
                RecordRefundRequest request, StreamObserver<RecordRefundResponse> response) {
            boolean first =
                    refundCalls.stream()
                            .noneMatch(
                                    c ->
                                            c.request()
                                                    .getOutRefundNo()
                                                    .equals(request.getOutRefundNo()));
            refundCalls.add(new RefundCall(request, Status.Code.OK));
            response.onNext(
                    RecordRefundResponse.newBuilder()
                            .setOrderId(request.getOrderId())
                            .setOrderState("REFUNDED")
                            .setNewlyRecorded(first)
                            .setRefundedFen(request.getRefundFen())
                            .build());
            response.onCompleted();
        }
    }
}
