package io.scanorder.order.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderRefunds;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import io.scanorder.proto.order.v1.RecordRefundRequest;
import io.scanorder.proto.order.v1.RefundOutcome;
import io.scanorder.proto.payment.v1.RefundRequest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * RefundDispatcher against the order database and a gRPC PaymentService on a loopback port ({@link
 * RecordingPaymentService}): approved refunds reach the payment service's Refund exactly once, are
 * retried while it is down, fail with the reason when it refuses, and their reported outcome
 * (OrderPayments.RecordRefund) refunds the order.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RecordingPaymentService.class, restrictToAnnotatedClass = true)
class RefundDispatchIT {
    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject OrderRefunds refunds;
    @Inject RefundDispatcher dispatcher;
    @Inject Transactions transactions;
    @Inject PaymentClient paymentClient;
    @Inject RefundRecorder recorder;

    private OrderFixture fixture;
    private OrderFixture.Store store;
    private ManagedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new OrderFixture(dataSource, transitions);
        store = fixture.store(null);
        channel = OwnGrpcChannel.open();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        RecordingPaymentService.running().listen();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void aDinerRefundBeforeAcceptanceReachesThePaymentServiceOnceAndItsOutcomeRefundsTheOrder()
            throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        // Attempt 1 was closed; attempt 2 is the one the diner paid.
        UUID id = paidOrder("4200000201", 2);

        refunds.request(id, "diner-1", 3800, "ordered at the wrong table", OrderFixture.DINER);
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(1));
        RefundRequest sent = payments.refundsOf(id).get(0);
        assertThat(sent.getOutTradeNo()).isEqualTo(TradeNumbers.outTradeNo(id, 2));
        assertThat(sent.getOutRefundNo()).isEqualTo(TradeNumbers.orderKey(id) + "_R1");
        assertThat(sent.getRefundFen()).isEqualTo(3800);
        assertThat(sent.getTotalFen()).isEqualTo(3800);
        assertThat(sent.getStoreCode()).isEqualTo(store.storeCode());
        assertThat(sent.getReason()).isEqualTo("ordered at the wrong table");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(sentToPayment(id)).isTrue());

        // Duplicate runs and a restarted dispatcher (a fresh instance, as after a redeploy).
        RefundDispatcher restarted =
                new RefundDispatcher(
                        transactions,
                        paymentClient,
                        recorder,
                        transitions,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(20),
                        false,
                        new SimpleMeterRegistry());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<Integer>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            runs.add(pool.submit(dispatcher::dispatchDue));
            runs.add(pool.submit(restarted::dispatchDue));
        }
        for (Future<Integer> run : runs) {
            assertThat(run.get(30, TimeUnit.SECONDS)).isZero();
        }
        pool.shutdown();
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(1));

        recordSuccess(id, sent, "4200000201");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDED);
        assertThat(refundColumn(id, "state")).isEqualTo("SUCCEEDED");
    }

    @Test
    void aRefundIsRetriedWhileThePaymentServiceIsDownAndSentOnceItIsBack() throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidOrder("4200000202", 1);
        payments.stop();

        refunds.request(id, "diner-1", 3800, "changed my mind", OrderFixture.DINER);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () ->
                                assertThat(Integer.parseInt(refundColumn(id, "dispatch_attempts")))
                                        .isGreaterThanOrEqualTo(2));
        assertThat(sentToPayment(id)).isFalse();
        assertThat(refundColumn(id, "state")).isEqualTo("PROCESSING");

        payments.listen();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(sentToPayment(id)).isTrue());
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(1));
    }

    @Test
    void aRefusedRefundFailsWithTheReasonAndIsNotSentAgain() throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidOrder("4200000203", 1);
        payments.refuseRefundsOf(TradeNumbers.outTradeNo(id, 1));

        refunds.request(id, "diner-1", 3800, "changed my mind", OrderFixture.DINER);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(refundColumn(id, "state")).isEqualTo("FAILED"));
        assertThat(refundColumn(id, "failure_reason"))
                .contains("FAILED_PRECONDITION")
                .contains("only paid payments can be refunded");
        assertThat(dispatcher.dispatchDue()).isZero();
        assertThat(payments.refundsOf(id)).hasSize(1);
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);
    }

    @Test
    void aRefusedRefundOfTheRestAfterAPaidPartialOneEndsThePartlyRefundedOrder() throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidOrder("4200000205", 1);
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "");
        refunds.request(id, "staff-1", 1000, "one dish was cold", OrderFixture.STAFF);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(1));
        recordSuccess(id, payments.refundsOf(id).get(0), "4200000205");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.ACCEPTED);

        // The payment service refuses the refund of the rest for good.
        payments.refuseRefundsOf(TradeNumbers.outTradeNo(id, 1));
        assertThat(
                        refunds.request(id, "staff-2", 2800, "kitchen closed", OrderFixture.STAFF)
                                .move()
                                .to())
                .isEqualTo(OrderState.REFUNDING);

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () ->
                                assertThat(fixture.stateOf(id))
                                        .isEqualTo(OrderState.PARTIALLY_REFUNDED));
        assertThat(payments.refundsOf(id)).hasSize(2);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT actor_kind, actor_id, reason FROM order_events"
                                        + " WHERE order_id = ? AND to_state = 'PARTIALLY_REFUNDED'")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("PAYMENT");
                assertThat(rs.getString(2))
                        .isEqualTo("payment-service-refusal:" + TradeNumbers.orderKey(id) + "_R2");
                assertThat(rs.getString(3))
                        .contains("refused without paying out")
                        .contains("refunded 1000 of 3800 fen");
            }
        }
    }

    @Test
    void aRefundWaitingForStaffIsSentOnlyOnceApprovedAndLaterRefundsTakeTheNextNumber()
            throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidOrder("4200000204", 1);
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "");

        OrderRefunds.RefundOutcome asked =
                refunds.request(id, "diner-1", 1000, "one dish was cold", OrderFixture.DINER);
        assertThat(asked.refundState()).isEqualTo("AWAITING_APPROVAL");
        assertThat(dispatcher.dispatchDue()).isZero();
        assertThat(payments.refundsOf(id)).isEmpty();

        refunds.decide(id, asked.refundId(), true, OrderFixture.STAFF, "");
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(1));
        recordSuccess(id, payments.refundsOf(id).get(0), "4200000204");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.ACCEPTED);

        refunds.request(id, "staff-1", 800, "drinks never came", OrderFixture.STAFF);
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(2));
        assertThat(payments.refundsOf(id))
                .extracting(RefundRequest::getOutRefundNo, RefundRequest::getRefundFen)
                .containsExactlyInAnyOrder(
                        tuple(TradeNumbers.orderKey(id) + "_R1", 1000L),
                        tuple(TradeNumbers.orderKey(id) + "_R2", 800L));
    }

    /** Reports the refund's success the way the payment service does. */
    private void recordSuccess(UUID id, RefundRequest sent, String transactionId) {
        OrderPaymentsGrpc.newBlockingStub(channel)
                .withDeadlineAfter(15, TimeUnit.SECONDS)
                .recordRefund(
                        RecordRefundRequest.newBuilder()
                                .setOrderId(id.toString())
                                .setOutTradeNo(sent.getOutTradeNo())
                                .setOutRefundNo(sent.getOutRefundNo())
                                .setStoreCode(store.storeCode())
                                .setRefundFen(sent.getRefundFen())
                                .setTransactionId(transactionId)
                                .setRefundId("5030" + sent.getOutRefundNo())
                                .setOutcome(RefundOutcome.REFUND_OUTCOME_SUCCESS)
                                .setSucceededAt(now())
                                .build());
    }

    /** A new order paid by payment attempt {@code attempt}; the earlier attempts were closed. */
    private UUID paidOrder(String transactionId, int attempt) throws Exception {
        UUID id = fixture.pendingOrder(store);
        for (int closed = 1; closed < attempt; closed++) {
            RecordingPaymentService.running()
                    .knowPayment(TradeNumbers.outTradeNo(id, closed), "", 3800);
        }
        String outTradeNo = TradeNumbers.outTradeNo(id, attempt);
        RecordingPaymentService.running().knowPayment(outTradeNo, transactionId, 3800);
        OrderPaymentsGrpc.newBlockingStub(channel)
                .withDeadlineAfter(15, TimeUnit.SECONDS)
                .recordPayment(
                        RecordPaymentRequest.newBuilder()
                                .setOrderId(id.toString())
                                .setOutTradeNo(outTradeNo)
                                .setStoreCode(store.storeCode())
                                .setPaidFen(3800)
                                .setTransactionId(transactionId)
                                .setPaidAt(now())
                                .build());
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.PAID);
        return id;
    }

    private boolean sentToPayment(UUID orderId) throws Exception {
        return refundColumn(orderId, "requested_at_payment") != null;
    }

    private String refundColumn(UUID orderId, String column) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT " + column + " FROM refunds WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("refund of order " + orderId).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static Timestamp now() {
        return Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000).build();
    }
}
