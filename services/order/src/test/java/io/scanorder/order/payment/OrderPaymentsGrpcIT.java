package io.scanorder.order.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

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
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.order.state.OrderView;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import io.scanorder.proto.order.v1.RecordPaymentResponse;
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

/** OrderPayments over real gRPC against the order database: a payment is recorded once. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
class OrderPaymentsGrpcIT {
    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject OrderQueries queries;

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
    void aHundredReportsOfOnePaymentMoveTheOrderToPaidOnce() throws Exception {
        UUID id = fixture.pendingOrder(store);
        RecordPaymentRequest report = report(id, 3800, "4200000001202611260000000001");

        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<RecordPaymentResponse>> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            answers.add(pool.submit(() -> recordLikeThePaymentService(report)));
        }
        List<RecordPaymentResponse> responses = new ArrayList<>();
        for (Future<RecordPaymentResponse> f : answers) {
            responses.add(f.get(30, TimeUnit.SECONDS));
        }
        pool.shutdown();

        assertThat(responses).allSatisfy(r -> assertThat(r.getOrderState()).isEqualTo("PAID"));
        assertThat(responses).filteredOn(RecordPaymentResponse::getNewlyRecorded).hasSize(1);
        OrderView order = queries.get(id);
        assertThat(order.state()).isEqualTo(OrderState.PAID);
        assertThat(order.paidFen()).isEqualTo(3800);
        assertThat(order.paymentDeadline()).isNull();
        assertThat(order.events())
                .filteredOn(e -> e.to() == OrderState.PAID)
                .singleElement()
                .satisfies(
                        e ->
                                assertThat(e.actor().id())
                                        .isEqualTo("wechatpay:4200000001202611260000000001"));
    }

    @Test
    void aRepeatedReportIsAcknowledgedAfterTheOrderMovedOn() throws Exception {
        UUID id = fixture.pendingOrder(store);
        RecordPaymentRequest report = report(id, 3800, "4200000002");
        assertThat(call().recordPayment(report).getNewlyRecorded()).isTrue();
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "accepted");

        RecordPaymentResponse again = call().recordPayment(report);

        assertThat(again.getNewlyRecorded()).isFalse();
        assertThat(again.getOrderState()).isEqualTo("ACCEPTED");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.ACCEPTED);
    }

    @Test
    void aPaymentForAnOrderClosedByItsTimeoutIsRefusedSoThatItIsRefunded() throws Exception {
        UUID id = fixture.pendingOrder(store);
        transitions.move(id, OrderState.CLOSED, Actor.PAYMENT_TIMEOUT, "payment timeout elapsed");

        StatusRuntimeException e = refused(report(id, 3800, "4200000003"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription())
                .contains(id.toString())
                .contains("CLOSED")
                .contains("payment timeout")
                .contains("refund transaction 4200000003");
        assertThat(queries.get(id).paidFen()).isZero();
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.CLOSED);
    }

    @Test
    void aSecondTransactionForAPaidOrderIsRefusedAsADoublePayment() throws Exception {
        UUID id = fixture.pendingOrder(store);
        call().recordPayment(report(id, 3800, "4200000004"));

        StatusRuntimeException e = refused(report(id, 3800, "4200000005"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription())
                .contains("already paid by transaction 4200000004")
                .contains("4200000005 is a second payment");
        assertThat(queries.get(id).paidFen()).isEqualTo(3800);
    }

    @Test
    void aPaymentOfTheWrongAmountIsRefused() throws Exception {
        UUID id = fixture.pendingOrder(store);

        StatusRuntimeException e = refused(report(id, 3700, "4200000006"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(e.getStatus().getDescription()).contains("totals 3800 fen").contains("3700");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.PENDING_PAYMENT);
    }

    @Test
    void unknownOrdersOrdersOfAnotherStoreAndBadFieldsAreNamed() throws Exception {
        UUID id = fixture.pendingOrder(store);
        String otherStore = store.storeCode().equals("999") ? "998" : "999";

        assertThat(refused(report(UUID.randomUUID(), 3800, "42")).getStatus().getCode())
                .isEqualTo(Status.Code.NOT_FOUND);
        StatusRuntimeException wrongStore =
                refused(report(id, 3800, "42").toBuilder().setStoreCode(otherStore).build());
        assertThat(wrongStore.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        assertThat(wrongStore.getStatus().getDescription()).contains("store " + otherStore);
        StatusRuntimeException badId =
                refused(report(id, 3800, "42").toBuilder().setOrderId("order-1").build());
        assertThat(badId.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(badId.getStatus().getDescription()).contains("order_id").contains("order-1");
        StatusRuntimeException noTx = refused(report(id, 3800, ""));
        assertThat(noTx.getStatus().getDescription()).contains("transaction_id");
        assertThat(refused(report(id, 0, "42")).getStatus().getDescription()).contains("paid_fen");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.PENDING_PAYMENT);
    }

    private RecordPaymentRequest report(UUID orderId, long fen, String transactionId) {
        return RecordPaymentRequest.newBuilder()
                .setOrderId(orderId.toString())
                .setOutTradeNo(TradeNumbers.outTradeNo(orderId, 1))
                .setStoreCode(store.storeCode())
                .setPaidFen(fen)
                .setTransactionId(transactionId)
                .setPaidAt(
                        com.google.protobuf.Timestamp.newBuilder()
                                .setSeconds(System.currentTimeMillis() / 1000))
                .build();
    }

    /** Retries what the payment service retries (a conflict or an unavailable database). */
    private RecordPaymentResponse recordLikeThePaymentService(RecordPaymentRequest request)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call().recordPayment(request);
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

    private StatusRuntimeException refused(RecordPaymentRequest request) {
        return catchThrowableOfType(
                StatusRuntimeException.class, () -> call().recordPayment(request));
    }
}
