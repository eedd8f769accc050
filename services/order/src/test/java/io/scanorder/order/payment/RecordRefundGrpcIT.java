package io.scanorder.order.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorNotAllowedException;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderQueries;
import io.scanorder.order.state.OrderRefunds;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.order.state.OrderView;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import io.scanorder.proto.order.v1.RecordRefundRequest;
import io.scanorder.proto.order.v1.RecordRefundResponse;
import io.scanorder.proto.order.v1.RefundOutcome;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OrderPayments.RecordRefund over real gRPC against the order database: refund outcomes move a
 * REFUNDING order to REFUNDED or PARTIALLY_REFUNDED exactly once however often they are reported,
 * partial refunds leave the order's kitchen state alone, and a refund WeChat closes leaves the
 * order where staff can refund it again.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class RecordRefundGrpcIT {
    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject OrderQueries queries;
    @Inject OrderRefunds refunds;

    private OrderFixture fixture;
    private OrderFixture.Store store;
    private ManagedChannel channel;
    private OrderPaymentsGrpc.OrderPaymentsBlockingStub orders;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new OrderFixture(dataSource, transitions);
        store = fixture.store(null);
        channel = OwnGrpcChannel.open();
        orders = OrderPaymentsGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aHundredReportsOfOneFullRefundMoveTheOrderToRefundedOnce() throws Exception {
        UUID id = paidOrder("4200000101");
        refunds.request(id, "diner-1", 3800, "changed my mind", OrderFixture.DINER);
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);
        RecordRefundRequest report = success(id, "4200000101", "_R1", 3800);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<RecordRefundResponse>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(pool.submit(() -> recordLikeThePaymentService(report)));
        }
        List<RecordRefundResponse> responses = new ArrayList<>();
        for (Future<RecordRefundResponse> f : answers) {
            responses.add(f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(responses).filteredOn(RecordRefundResponse::getNewlyRecorded).hasSize(1);
        assertThat(responses)
                .allSatisfy(
                        r -> {
                            assertThat(r.getOrderState()).isEqualTo("REFUNDED");
                            assertThat(r.getRefundedFen()).isEqualTo(3800);
                        });
        OrderView order = queries.get(id);
        assertThat(order.state()).isEqualTo(OrderState.REFUNDED);
        assertThat(order.refundedFen()).isEqualTo(3800);
        assertThat(order.refunds())
                .singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo("SUCCEEDED"));
        assertThat(order.events())
                .filteredOn(e -> e.to() == OrderState.REFUNDED)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.actor().id())
                                        .isEqualTo("wechatpay-refund:" + report.getOutRefundNo()));
    }

    @Test
    void aPartialRefundKeepsTheOrderAcceptedAndTheRefundOfTheRestEndsRefunded() throws Exception {
        UUID id = paidOrder("4200000102");
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        OrderRefunds.RefundOutcome partial =
                refunds.request(id, "staff-1", 1000, "one dish sold out", OrderFixture.STAFF);
        assertThat(partial.move()).isNull();
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.ACCEPTED);

        RecordRefundResponse first = call().recordRefund(success(id, "4200000102", "_R1", 1000));

        assertThat(first.getOrderState()).isEqualTo("ACCEPTED");
        assertThat(first.getRefundedFen()).isEqualTo(1000);
        assertThat(queries.get(id).events()).noneMatch(e -> e.to() == OrderState.REFUNDING);
        refunds.request(id, "staff-2", 2800, "customer left", OrderFixture.STAFF);
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);
        RecordRefundResponse second = call().recordRefund(success(id, "4200000102", "_R2", 2800));
        assertThat(second.getOrderState()).isEqualTo("REFUNDED");
        assertThat(queries.get(id).refundedFen()).isEqualTo(3800);
        assertThat(call().recordRefund(success(id, "4200000102", "_R1", 1000)).getNewlyRecorded())
                .isFalse();
        assertThat(queries.get(id).refundedFen()).isEqualTo(3800);
    }

    @Test
    void aClosedFullRefundLeavesTheOrderRefundingAndStaffCanStartANewOne() throws Exception {
        UUID id = paidOrder("4200000103");
        refunds.request(id, "diner-1", 3800, "wrong table", OrderFixture.DINER);

        RecordRefundResponse closed;
        try (CapturedLog log = CapturedLog.of(RefundRecorder.class)) {
            closed = call().recordRefund(closed(id, "4200000103", "_R1", 3800));
            // The on-call instruction, which the rest of this test follows.
            assertThat(log.errors())
                    .singleElement()
                    .asString()
                    .contains("the order stays REFUNDING")
                    .contains(
                            "Staff must call RequestRefund as STAFF for order "
                                    + id
                                    + " again (refund_fen 3800, a new idempotency_key)");
        }

        assertThat(closed.getNewlyRecorded()).isTrue();
        assertThat(closed.getOrderState()).isEqualTo("REFUNDING");
        OrderView order = queries.get(id);
        assertThat(order.refundedFen()).isZero();
        assertThat(order.refunds())
                .singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo("FAILED"));

        // The diner cannot add to a REFUNDING order; staff can, and nothing moves.
        assertThatThrownBy(
                        () ->
                                refunds.request(
                                        id, "diner-2", 3800, "still waiting", OrderFixture.DINER))
                .isInstanceOf(ActorNotAllowedException.class)
                .hasMessageContaining(
                        "only STAFF may add a further refund to a REFUNDING order, not DINER");
        OrderRefunds.RefundOutcome again =
                refunds.request(id, "staff-again", 3800, "refund closed", OrderFixture.STAFF);
        assertThat(again.refundState()).isEqualTo("PROCESSING");
        assertThat(again.move()).isNull();
        assertThat(outRefundNo(again.refundId())).isEqualTo(TradeNumbers.orderKey(id) + "_R2");

        RecordRefundResponse paidOut = call().recordRefund(success(id, "4200000103", "_R2", 3800));
        assertThat(paidOut.getOrderState()).isEqualTo("REFUNDED");
        assertThat(queries.get(id).refundedFen()).isEqualTo(3800);
    }

    @Test
    void aClosedFullRefundAfterAnEarlierPartialOneEndsPartiallyRefunded() throws Exception {
        UUID id = paidOrder("4200000106");
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        refunds.request(id, "staff-1", 1000, "one dish sold out", OrderFixture.STAFF);
        call().recordRefund(success(id, "4200000106", "_R1", 1000));
        refunds.request(id, "staff-2", 2800, "customer left", OrderFixture.STAFF);
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);

        RecordRefundResponse closed = call().recordRefund(closed(id, "4200000106", "_R2", 2800));

        assertThat(closed.getOrderState()).isEqualTo("PARTIALLY_REFUNDED");
        assertThat(closed.getRefundedFen()).isEqualTo(1000);
        assertThat(queries.get(id).events())
                .filteredOn(e -> e.to() == OrderState.PARTIALLY_REFUNDED)
                .singleElement()
                .satisfies(e -> assertThat(e.reason()).contains("closed without paying out"));
        // Staff refund the rest again: PARTIALLY_REFUNDED -> REFUNDING -> REFUNDED.
        assertThatThrownBy(
                        () ->
                                refunds.request(
                                        id, "diner-3", 2800, "still waiting", OrderFixture.DINER))
                .isInstanceOf(ActorNotAllowedException.class);
        refunds.request(id, "staff-3", 2800, "refund closed", OrderFixture.STAFF);
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);
        assertThat(call().recordRefund(success(id, "4200000106", "_R3", 2800)).getOrderState())
                .isEqualTo("REFUNDED");
    }

    @Test
    void aClosedPartialRefundLeavesTheOrderCookingAndItsAmountCanBeAskedForAgain()
            throws Exception {
        UUID id = paidOrder("4200000107");
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        transitions.move(id, OrderState.DISPATCHING, OrderFixture.STAFF, "");
        transitions.move(id, OrderState.COOKING, OrderFixture.STAFF, "");
        refunds.request(id, "staff-1", 1000, "one dish sold out", OrderFixture.STAFF);

        RecordRefundResponse closed = call().recordRefund(closed(id, "4200000107", "_R1", 1000));

        assertThat(closed.getOrderState()).isEqualTo("COOKING");
        assertThat(closed.getRefundedFen()).isZero();
        OrderRefunds.RefundOutcome again =
                refunds.request(id, "staff-2", 3800, "customer left", OrderFixture.STAFF);
        assertThat(again.move()).isNotNull();
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);
    }

    @Test
    void concurrentApprovalsOfTwoPartialRefundsThatTogetherTakeEverythingStopTheOrderOnce()
            throws Exception {
        for (int round = 0; round < 5; round++) {
            UUID id = paidOrder("42000002" + round);
            transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
            OrderRefunds.RefundOutcome small =
                    refunds.request(id, "diner-1", 1000, "one dish cold", OrderFixture.DINER);
            OrderRefunds.RefundOutcome rest =
                    refunds.request(id, "diner-2", 2800, "the rest cold", OrderFixture.DINER);
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<OrderRefunds.RefundOutcome>> approvals = new ArrayList<>();
            for (UUID refundId : List.of(small.refundId(), rest.refundId())) {
                approvals.add(
                        pool.submit(
                                () -> {
                                    start.await();
                                    return refunds.decide(
                                            id, refundId, true, OrderFixture.STAFF, "");
                                }));
            }
            start.countDown();
            for (Future<OrderRefunds.RefundOutcome> approval : approvals) {
                assertThat(approval.get(30, TimeUnit.SECONDS).refundState())
                        .isEqualTo("PROCESSING");
            }
            pool.shutdown();

            // Whichever committed second saw the other PROCESSING: together they take it all.
            OrderView order = queries.get(id);
            assertThat(order.state()).as("round " + round).isEqualTo(OrderState.REFUNDING);
            assertThat(order.events()).filteredOn(e -> e.to() == OrderState.REFUNDING).hasSize(1);
        }
    }

    @Test
    void theAutomaticRefundOfARefusedPaymentIsRecordedWithoutTouchingTheOrder() throws Exception {
        UUID id = fixture.pendingOrder(store);
        transitions.move(id, OrderState.CLOSED, Actor.PAYMENT_TIMEOUT, "payment timeout elapsed");

        RecordRefundResponse r = call().recordRefund(success(id, "4200000104", "_R50", 3800));

        assertThat(r.getNewlyRecorded()).isTrue();
        assertThat(r.getOrderState()).isEqualTo("CLOSED");
        OrderView order = queries.get(id);
        assertThat(order.refundedFen()).isZero();
        assertThat(order.refunds())
                .singleElement()
                .satisfies(
                        x -> {
                            assertThat(x.state()).isEqualTo("SUCCEEDED");
                            assertThat(x.reason()).contains("4200000104");
                        });
    }

    @Test
    void aRefundBeyondWhatWasPaidIsRefusedAndBadFieldsAreNamed() throws Exception {
        UUID id = paidOrder("4200000105");
        refunds.request(id, "diner-1", 3800, "changed my mind", OrderFixture.DINER);

        StatusRuntimeException tooMuch = refused(success(id, "4200000105", "_R1", 3900));
        assertThat(tooMuch.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(tooMuch.getStatus().getDescription()).contains("exceeds").contains("3800");
        StatusRuntimeException noOutcome =
                refused(
                        success(id, "4200000105", "_R1", 3800).toBuilder()
                                .setOutcome(RefundOutcome.REFUND_OUTCOME_UNSPECIFIED)
                                .build());
        assertThat(noOutcome.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(noOutcome.getStatus().getDescription()).contains("outcome");
        StatusRuntimeException badNo =
                refused(
                        success(id, "4200000105", "_R1", 3800).toBuilder()
                                .setOutRefundNo("no spaces allowed")
                                .build());
        assertThat(badNo.getStatus().getDescription()).contains("out_refund_no");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);
    }

    private UUID paidOrder(String transactionId) throws Exception {
        UUID id = fixture.pendingOrder(store);
        call().recordPayment(
                        RecordPaymentRequest.newBuilder()
                                .setOrderId(id.toString())
                                .setOutTradeNo(TradeNumbers.outTradeNo(id, 1))
                                .setStoreCode(store.storeCode())
                                .setPaidFen(3800)
                                .setTransactionId(transactionId)
                                .setPaidAt(now())
                                .build());
        return id;
    }

    private RecordRefundRequest success(UUID id, String transactionId, String suffix, long fen) {
        return RecordRefundRequest.newBuilder()
                .setOrderId(id.toString())
                .setOutTradeNo(TradeNumbers.outTradeNo(id, 1))
                .setOutRefundNo(TradeNumbers.orderKey(id) + suffix)
                .setStoreCode(store.storeCode())
                .setRefundFen(fen)
                .setTransactionId(transactionId)
                .setRefundId("5030" + transactionId)
                .setOutcome(RefundOutcome.REFUND_OUTCOME_SUCCESS)
                .setSucceededAt(now())
                .build();
    }

    private RecordRefundRequest closed(UUID id, String transactionId, String suffix, long fen) {
        return success(id, transactionId, suffix, fen).toBuilder()
                .setOutcome(RefundOutcome.REFUND_OUTCOME_CLOSED)
                .clearSucceededAt()
                .build();
    }

    private String outRefundNo(UUID refundId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT out_refund_no FROM refunds WHERE refund_id = ?")) {
            ps.setObject(1, refundId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("refund " + refundId).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static Timestamp now() {
        return Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000).build();
    }

    /** Retries what the payment service retries (a conflict or an unavailable database). */
    private RecordRefundResponse recordLikeThePaymentService(RecordRefundRequest request)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call().recordRefund(request);
            } catch (StatusRuntimeException e) {
                Status.Code code = e.getStatus().getCode();
                if (attempt == 10
                        || (code != Status.Code.ABORTED && code != Status.Code.UNAVAILABLE)) {
                    throw e;
                }
                Thread.sleep(20L * attempt);
            }
        }
    }

    private OrderPaymentsGrpc.OrderPaymentsBlockingStub call() {
        return orders.withDeadlineAfter(15, TimeUnit.SECONDS);
    }

    private StatusRuntimeException refused(RecordRefundRequest request) {
        return catchThrowableOfType(
                StatusRuntimeException.class, () -> call().recordRefund(request));
    }
}
