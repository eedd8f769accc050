package io.scanorder.order.payment;

import static org.assertj.core.api.Assertions.assertThat;
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
 * OrderPayments.RecordRefund over real gRPC against the order database: refund outcomes move a
 * REFUNDING order to REFUNDED or PARTIALLY_REFUNDED exactly once however often they are reported.
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
    void aPartialRefundMovesTheOrderToPartiallyRefundedAndAFurtherOneToRefunded() throws Exception {
        UUID id = paidOrder("4200000102");
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");
        refunds.request(id, "staff-1", 1000, "one dish sold out", OrderFixture.STAFF);

        RecordRefundResponse first = call().recordRefund(success(id, "4200000102", "_R1", 1000));

        assertThat(first.getOrderState()).isEqualTo("PARTIALLY_REFUNDED");
        assertThat(first.getRefundedFen()).isEqualTo(1000);
        refunds.request(id, "staff-2", 2800, "customer left", OrderFixture.STAFF);
        RecordRefundResponse second = call().recordRefund(success(id, "4200000102", "_R2", 2800));
        assertThat(second.getOrderState()).isEqualTo("REFUNDED");
        assertThat(queries.get(id).refundedFen()).isEqualTo(3800);
        assertThat(call().recordRefund(success(id, "4200000102", "_R1", 1000)).getNewlyRecorded())
                .isFalse();
        assertThat(queries.get(id).refundedFen()).isEqualTo(3800);
    }

    @Test
    void aClosedRefundFailsTheRefundAndLeavesTheMoneyAlone() throws Exception {
        UUID id = paidOrder("4200000103");
        refunds.request(id, "diner-1", 3800, "wrong table", OrderFixture.DINER);

        RecordRefundResponse closed =
                call().recordRefund(
                                success(id, "4200000103", "_R1", 3800).toBuilder()
                                        .setOutcome(RefundOutcome.REFUND_OUTCOME_CLOSED)
                                        .clearSucceededAt()
                                        .build());

        assertThat(closed.getNewlyRecorded()).isTrue();
        assertThat(closed.getOrderState()).isEqualTo("REFUNDING");
        OrderView order = queries.get(id);
        assertThat(order.refundedFen()).isZero();
        assertThat(order.refunds())
                .singleElement()
                .satisfies(r -> assertThat(r.state()).isEqualTo("FAILED"));
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
