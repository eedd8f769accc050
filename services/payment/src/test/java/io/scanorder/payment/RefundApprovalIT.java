package io.scanorder.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.orders.RecordingOrderService;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundState;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderEvent;
import io.scanorder.proto.order.v1.OrderState;
import io.scanorder.proto.order.v1.Refund;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.RefundGoods;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.proto.payment.v1.RefundResult;
import io.scanorder.wechatsim.WeChatSimulator;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment service enforces the order-side refund rules a second time: before WeChat Pay is
 * asked, it reads the order back from the order service (a real gRPC server standing in for it) and
 * refuses a refund the order's record does not allow. Each refused case checks that nothing reached
 * the WeChat simulator and nothing was reserved.
 */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class RefundApprovalIT {
    private static final String STORE = "001";
    private static final String MCH = PaymentInfrastructure.MCH_ID;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;
    @Inject MeterRegistry registry;

    private final RecordingOrderService orders = PaymentInfrastructure.orderService();
    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        orders.start();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aRefundTheOrderServiceNeverApprovedIsRefusedAndNothingReachesWeChat() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 3_000);
        double refusedBefore = checks("refused");

        // The order service does not know the order at all.
        assertRefusedUntouched(
                request(outTradeNo, order + "_R1", 3_000), "does not exist at the order service");

        // It knows the order, but no refund under this number.
        orders.approve(order, request(outTradeNo, order + "_R1", 1_000));
        assertRefusedUntouched(
                request(outTradeNo, order + "_R2", 3_000),
                "has no refund numbered " + order + "_R2",
                "OrderService.RequestRefund, ApproveRefund");
        // The payment service's own numbers (_R26.._R50) cannot be borrowed through the API.
        assertRefusedUntouched(
                request(outTradeNo, order + "_R50", 3_000), "has no refund numbered");
        assertThat(checks("refused") - refusedBefore).isEqualTo(3);
    }

    @Test
    void aRefundForMoreOrOtherGoodsThanApprovedIsRefused() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 5_000);
        orders.approve(
                order,
                request(outTradeNo, order + "_R1", 1_900).toBuilder()
                        .addGoods(goods("SKU-BEEF-L", 1_900, 1))
                        .build());

        assertRefusedUntouched(
                request(outTradeNo, order + "_R1", 3_800).toBuilder()
                        .addGoods(goods("SKU-BEEF-L", 1_900, 2))
                        .build(),
                "was approved for 1900 fen, not 3800 fen");
        assertRefusedUntouched(
                request(outTradeNo, order + "_R1", 1_900).toBuilder()
                        .addGoods(goods("SKU-DUCK", 1_900, 1))
                        .build(),
                "was approved for goods [SKU-BEEF-L x1 = 1900 fen]",
                "SKU-DUCK x1 = 1900 fen");
        assertRefusedUntouched(
                request(outTradeNo, order + "_R1", 1_900), "but the request names none");

        // The approved goods themselves go through.
        RefundResult paid =
                payments()
                        .refund(
                                request(outTradeNo, order + "_R1", 1_900).toBuilder()
                                        .addGoods(goods("SKU-BEEF-L", 1_900, 1))
                                        .build());
        assertThat(paid.getRefundFen()).isEqualTo(1_900);
        assertThat(wechat.pay().refunds())
                .anySatisfy(r -> assertThat(r.outRefundNo()).isEqualTo(order + "_R1"));
    }

    @Test
    void aRefundApprovedAfterTheOrderWasServedIsRefused() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 2_000);
        Instant now = Instant.now();
        orders.approve(order, request(outTradeNo, order + "_R1", 2_000));
        Order approved = orders.order(order);
        // The order service (wrongly) approved it a minute after the food was served.
        orders.putOrder(
                approved.toBuilder()
                        .setState(OrderState.ORDER_STATE_SERVED)
                        .addEvents(
                                event(
                                        OrderState.ORDER_STATE_READY,
                                        OrderState.ORDER_STATE_SERVED,
                                        now.minusSeconds(30)))
                        .build());

        assertRefusedUntouched(
                request(outTradeNo, order + "_R1", 2_000),
                "the order was served at",
                "refunds are not allowed from SERVED on");
    }

    @Test
    void aDinersOwnRefundIsPaidOutBeforeAcceptanceAndRefusedAfterIt() {
        Instant now = Instant.now();
        // Before acceptance: the diner's self-service full refund goes through.
        String early = newOrder();
        String earlyTrade = early + "_1";
        payAndAwait(earlyTrade, 1_500);
        orders.putOrder(
                paidOrder(early, 1_500, now.minusSeconds(60))
                        .addRefunds(dinerRefund(early + "_R1", 1_500, now))
                        .build());
        assertThat(payments().refund(request(earlyTrade, early + "_R1", 1_500)).getRefundFen())
                .isEqualTo(1_500);

        // A diner's own partial refund, even before acceptance, is not self-service.
        String partial = newOrder();
        String partialTrade = partial + "_1";
        payAndAwait(partialTrade, 1_500);
        orders.putOrder(
                paidOrder(partial, 1_500, now.minusSeconds(60))
                        .addRefunds(dinerRefund(partial + "_R1", 500, now))
                        .build());
        assertRefusedUntouched(
                request(partialTrade, partial + "_R1", 500),
                "a diner's own refund must be everything still paid (1500 fen)");

        // After acceptance the diner alone cannot have decided it.
        String late = newOrder();
        String lateTrade = late + "_1";
        payAndAwait(lateTrade, 1_500);
        orders.putOrder(
                paidOrder(late, 1_500, now.minusSeconds(60))
                        .addEvents(
                                event(
                                        OrderState.ORDER_STATE_PAID,
                                        OrderState.ORDER_STATE_ACCEPTED,
                                        now.minusSeconds(30)))
                        .addRefunds(dinerRefund(late + "_R1", 1_500, now))
                        .build());
        assertRefusedUntouched(
                request(lateTrade, late + "_R1", 1_500),
                "without staff approval, but the order was accepted at",
                "once accepted, refunds need staff approval");
    }

    @Test
    void aRefundWaitsWhileTheOrderServiceCannotConfirmItAndGoesOutOnceItCan() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 2_400);
        RefundRequest request = orders.approve(order, request(outTradeNo, order + "_R1", 2_400));
        double unavailableBefore = checks("unavailable");
        orders.stop();

        StatusRuntimeException down = refused(request);
        assertThat(down.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(down.getStatus().getDescription())
                .contains("cannot check refund " + order + "_R1")
                .contains("nothing was sent to WeChat Pay");
        assertUntouched(outTradeNo, order + "_R1");
        assertThat(checks("unavailable") - unavailableBefore).isEqualTo(1);

        orders.start();
        // As the order service's refund dispatcher does: ask again until the check can be made.
        RefundResult sent =
                await().atMost(WAIT)
                        .ignoreExceptionsMatching(
                                e ->
                                        e instanceof StatusRuntimeException s
                                                && s.getStatus().getCode()
                                                        == Status.Code.UNAVAILABLE)
                        .until(() -> payments().refund(request), r -> r.getRefundFen() == 2_400);
        assertThat(sent.getRefundId()).isNotBlank();
        await().atMost(WAIT)
                .until(
                        () ->
                                store.findRefund(order + "_R1").orElseThrow().state()
                                        == RefundState.SUCCESS);
    }

    @Test
    void aRepeatOfASentRefundIsAnsweredWithoutAskingTheOrderServiceAgain() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payAndAwait(outTradeNo, 900);
        RefundRequest request = orders.approve(order, request(outTradeNo, order + "_R1", 900));
        RefundResult first = payments().refund(request);
        int asked = orders.getOrderCalls();

        // Even once the order service has moved on (the refund is no longer PROCESSING there).
        orders.putOrder(orders.order(order).toBuilder().clearRefunds().build());
        RefundResult again = payments().refund(request);

        assertThat(again.getRefundId()).isEqualTo(first.getRefundId());
        assertThat(orders.getOrderCalls()).isEqualTo(asked);
        assertThat(wechat.pay().refunds())
                .filteredOn(r -> r.outRefundNo().equals(order + "_R1"))
                .hasSize(1);
    }

    private void assertRefusedUntouched(RefundRequest request, String... expected) {
        StatusRuntimeException e = refused(request);
        assertThat(e).as("refund %s must be refused", request.getOutRefundNo()).isNotNull();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription())
                .contains("refund not allowed by the order's record")
                .contains(expected);
        assertUntouched(request.getOutTradeNo(), request.getOutRefundNo());
    }

    private void assertUntouched(String outTradeNo, String outRefundNo) {
        assertThat(wechat.pay().refunds()).noneMatch(r -> r.outRefundNo().equals(outRefundNo));
        assertThat(store.findRefund(outRefundNo)).isEmpty();
        assertThat(store.refundedFen(outTradeNo)).isZero();
    }

    private StatusRuntimeException refused(RefundRequest request) {
        try {
            payments().refund(request);
            return null;
        } catch (StatusRuntimeException e) {
            return e;
        }
    }

    private double checks(String result) {
        return registry.counter("scanorder.payment.refund.approval.checks", "result", result)
                .count();
    }

    private RefundRequest request(String outTradeNo, String outRefundNo, long fen) {
        return RefundRequest.newBuilder()
                .setStoreCode(STORE)
                .setOutTradeNo(outTradeNo)
                .setOutRefundNo(outRefundNo)
                .setRefundFen(fen)
                .setTotalFen(store.find(outTradeNo).orElseThrow().amountFen())
                .setReason("菜品售罄")
                .build();
    }

    private static RefundGoods goods(String sku, long unitPrice, int quantity) {
        return RefundGoods.newBuilder()
                .setMerchantGoodsId(sku)
                .setGoodsName(sku)
                .setUnitPriceFen(unitPrice)
                .setRefundQuantity(quantity)
                .setRefundFen(unitPrice * quantity)
                .build();
    }

    private static Order.Builder paidOrder(String orderId, long paidFen, Instant paidAt) {
        return Order.newBuilder()
                .setOrderId(orderId)
                .setStoreCode(STORE)
                .setState(OrderState.ORDER_STATE_PAID)
                .setTotalFen(paidFen)
                .setPaidFen(paidFen)
                .addEvents(
                        event(
                                OrderState.ORDER_STATE_PENDING_PAYMENT,
                                OrderState.ORDER_STATE_PAID,
                                paidAt));
    }

    private static Refund dinerRefund(String outRefundNo, long fen, Instant decidedAt) {
        Actor diner =
                Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_DINER).setId("oDiner42").build();
        return Refund.newBuilder()
                .setRefundId(UUID.randomUUID().toString())
                .setRefundFen(fen)
                .setState(io.scanorder.proto.order.v1.RefundState.REFUND_STATE_PROCESSING)
                .setReason("changed my mind")
                .setRequestedBy(diner)
                .setDecidedBy(diner)
                .setRequestedAt(ts(decidedAt))
                .setDecidedAt(ts(decidedAt))
                .setOutRefundNo(outRefundNo)
                .build();
    }

    private static OrderEvent event(OrderState from, OrderState to, Instant at) {
        return OrderEvent.newBuilder()
                .setFromState(from)
                .setToState(to)
                .setActor(Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_STAFF).setId("li"))
                .setOccurredAt(ts(at))
                .build();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    private void payAndAwait(String outTradeNo, long fen) {
        PaidTrades.payAndAwait(payments(), wechat, store, MCH, outTradeNo, fen);
    }

    private PaymentServiceGrpc.PaymentServiceBlockingStub payments() {
        return PaymentServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    private static String newOrder() {
        return PaidTrades.newOrder();
    }
}
