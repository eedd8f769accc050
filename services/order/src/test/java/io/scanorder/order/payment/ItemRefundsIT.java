package io.scanorder.order.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.OwnGrpcChannel;
import io.scanorder.order.db.TransactionFailedException;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.AmountOutOfRangeException;
import io.scanorder.order.state.IllegalTransitionException;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderQueries;
import io.scanorder.order.state.OrderRefunds;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.order.state.OrderView;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import io.scanorder.proto.order.v1.RecordRefundRequest;
import io.scanorder.proto.order.v1.RefundOutcome;
import io.scanorder.proto.payment.v1.RefundGoods;
import io.scanorder.proto.payment.v1.RefundRequest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Single-item refunds on the order side: a refund names order lines, its amount comes from their
 * price snapshot, a line is never refunded beyond what was ordered (also under concurrent
 * requests), and RefundDispatcher sends the lines as goods to the payment attempt RecordPayment
 * stored, without searching the payment service for it. The payment service is a gRPC server on a
 * loopback port ({@link RecordingPaymentService}).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RecordingPaymentService.class, restrictToAnnotatedClass = true)
class ItemRefundsIT {
    /** The fixture's first line: 2 x SKU-BEEF-L at 1900; the test adds 1 x SKU-TEA at 2200. */
    private static final long ORDER_FEN = 3800 + 2200;

    private static final Actor KITCHEN = new Actor(ActorKind.SYSTEM, "kitchen-dispatcher");

    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject OrderRefunds refunds;
    @Inject OrderQueries queries;
    @Inject MeterRegistry registry;

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
    void refundingOneLineOfTwoSendsItsPriceAsGoodsToTheStoredPaidAttempt() throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        // Paid by attempt 2; the payment service is never told about it for QueryPayment, so a
        // search by QueryPayment would find nothing and fail the refund.
        UUID id = paidTwoLineOrder("4200000301", 2);
        assertThat(orderColumn(id, "paid_out_trade_no")).isEqualTo(TradeNumbers.outTradeNo(id, 2));
        assertThat(orderColumn(id, "paid_transaction_id")).isEqualTo("4200000301");
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "");
        double sentBefore = dispatched("sent");

        OrderRefunds.RefundOutcome outcome =
                refundLine(
                        id, "staff-tea", "SKU-TEA", 1, "tea was never served", OrderFixture.STAFF);

        assertThat(outcome.refundState()).isEqualTo("PROCESSING");
        OrderView.Refund asked = queries.get(id).refunds().get(0);
        assertThat(asked.refundFen()).isEqualTo(2200);
        assertThat(asked.lines())
                .extracting(OrderView.RefundLine::lineId, OrderView.RefundLine::quantity)
                .containsExactly(tuple(line(id, "SKU-TEA"), 1));
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(1));
        RefundRequest sent = payments.refundsOf(id).get(0);
        assertThat(sent.getOutTradeNo()).isEqualTo(TradeNumbers.outTradeNo(id, 2));
        assertThat(sent.getRefundFen()).isEqualTo(2200);
        assertThat(sent.getTotalFen()).isEqualTo(ORDER_FEN);
        assertThat(sent.getGoodsList())
                .extracting(
                        RefundGoods::getMerchantGoodsId,
                        RefundGoods::getGoodsName,
                        RefundGoods::getUnitPriceFen,
                        RefundGoods::getRefundQuantity,
                        RefundGoods::getRefundFen)
                .containsExactly(tuple("SKU-TEA", "Jasmine tea", 2200L, 1, 2200L));
        assertThat(payments.queriesOf(id)).isEmpty();
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(dispatched("sent")).isGreaterThan(sentBefore));

        recordSuccess(id, sent, "4200000301");
        // A single item: the order keeps its kitchen state, only the refunded amount rises.
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.ACCEPTED);
        assertThat(queries.get(id).refundedFen()).isEqualTo(2200);
    }

    @Test
    void aQuantityBeyondWhatIsLeftOfTheLineIsRefusedWithTheFiguresAndDeclinedRefundsFreeIt()
            throws Exception {
        UUID id = paidTwoLineOrder("4200000302", 1);
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "");
        UUID beef = line(id, "SKU-BEEF-L");
        OrderRefunds.RefundOutcome first =
                refunds.request(
                        id,
                        "diner-1",
                        0,
                        List.of(new OrderRefunds.LineRequest(beef, 1)),
                        "one bowl was cold",
                        OrderFixture.DINER);
        assertThat(first.refundState()).isEqualTo("AWAITING_APPROVAL");

        assertThatThrownBy(
                        () ->
                                refunds.request(
                                        id,
                                        "diner-2",
                                        0,
                                        List.of(new OrderRefunds.LineRequest(beef, 2)),
                                        "both bowls were cold",
                                        OrderFixture.DINER))
                .isInstanceOf(AmountOutOfRangeException.class)
                .hasMessageContaining("lines[0].quantity 2 exceeds what is left to refund")
                .hasMessageContaining("line " + beef + " (Beef noodles, SKU SKU-BEEF-L)")
                .hasMessageContaining("ordered 2, already refunded or being refunded 1, left 1");
        assertThatThrownBy(
                        () ->
                                refunds.request(
                                        id,
                                        "diner-3",
                                        0,
                                        List.of(new OrderRefunds.LineRequest(UUID.randomUUID(), 1)),
                                        "not my line",
                                        OrderFixture.DINER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lines[0].line_id: order " + id + " has no line");
        assertThatThrownBy(
                        () ->
                                refunds.request(
                                        id,
                                        "diner-4",
                                        1000,
                                        List.of(new OrderRefunds.LineRequest(beef, 1)),
                                        "wrong sum",
                                        OrderFixture.DINER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("refund_fen 1000 does not match the 1900 fen");
        assertThat(refundLineQuantity(beef)).isEqualTo(1);

        // A declined refund took nothing: the whole line can be asked for again.
        refunds.decide(id, first.refundId(), false, OrderFixture.STAFF, "bowl was fine");
        OrderRefunds.RefundOutcome again =
                refunds.request(
                        id,
                        "diner-5",
                        0,
                        List.of(new OrderRefunds.LineRequest(beef, 2)),
                        "both bowls were cold",
                        OrderFixture.DINER);
        assertThat(again.refundState()).isEqualTo("AWAITING_APPROVAL");
        assertThat(queries.get(id).refunds())
                .filteredOn(r -> r.refundId().equals(again.refundId()))
                .singleElement()
                .satisfies(r -> assertThat(r.refundFen()).isEqualTo(3800));
    }

    @Test
    void concurrentRefundsOfTheSameLineNeverExceedItsQuantity() throws Exception {
        UUID id = paidTwoLineOrder("4200000303", 1);
        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "");
        UUID beef = line(id, "SKU-BEEF-L"); // 2 ordered; the paid amount would allow 3 of them

        int callers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<OrderRefunds.RefundOutcome>> calls = new ArrayList<>();
        for (int i = 0; i < callers; i++) {
            String key = "diner-" + i;
            calls.add(
                    pool.submit(
                            () -> {
                                start.await();
                                return refunds.request(
                                        id,
                                        key,
                                        0,
                                        List.of(new OrderRefunds.LineRequest(beef, 1)),
                                        "cold",
                                        OrderFixture.DINER);
                            }));
        }
        start.countDown();
        int accepted = 0;
        for (Future<OrderRefunds.RefundOutcome> call : calls) {
            try {
                call.get(60, TimeUnit.SECONDS);
                accepted++;
            } catch (ExecutionException e) {
                // Refused for the quantity, or (rarely) out of serialization retries: never more.
                assertThat(e.getCause())
                        .isInstanceOfAny(
                                AmountOutOfRangeException.class, TransactionFailedException.class);
            }
        }
        pool.shutdown();

        assertThat(accepted).isBetween(1, 2);
        assertThat(refundLineQuantity(beef)).isEqualTo(accepted);
        // Whatever is left can still be taken, and then nothing more.
        for (int i = accepted; i < 2; i++) {
            refunds.request(
                    id,
                    "late-" + i,
                    0,
                    List.of(new OrderRefunds.LineRequest(beef, 1)),
                    "cold",
                    OrderFixture.DINER);
        }
        assertThatThrownBy(
                        () ->
                                refunds.request(
                                        id,
                                        "one-too-many",
                                        0,
                                        List.of(new OrderRefunds.LineRequest(beef, 1)),
                                        "cold",
                                        OrderFixture.DINER))
                .isInstanceOf(AmountOutOfRangeException.class)
                .hasMessageContaining("left 0");
        assertThat(refundLineQuantity(beef)).isEqualTo(2);
    }

    @Test
    void anOrderPaidBeforeThePaidAttemptWasStoredIsStillRefundedThroughQueryPayment()
            throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidTwoLineOrder("4200000304", 2);
        payments.knowPayment(TradeNumbers.outTradeNo(id, 1), "", ORDER_FEN);
        payments.knowPayment(TradeNumbers.outTradeNo(id, 2), "4200000304", ORDER_FEN);
        // As written before Flyway V11: no paid attempt on the order.
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE orders SET paid_out_trade_no = NULL,"
                                        + " paid_transaction_id = NULL WHERE order_id = ?")) {
            ps.setObject(1, id);
            ps.executeUpdate();
        }

        refunds.request(id, "diner-1", ORDER_FEN, "wrong table", OrderFixture.DINER);

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(1));
        assertThat(payments.refundsOf(id).get(0).getOutTradeNo())
                .isEqualTo(TradeNumbers.outTradeNo(id, 2));
        assertThat(payments.refundsOf(id).get(0).getGoodsList()).isEmpty();
        assertThat(payments.queriesOf(id))
                .extracting(q -> q.getOutTradeNo())
                .containsExactly(TradeNumbers.outTradeNo(id, 1), TradeNumbers.outTradeNo(id, 2));
    }

    @Test
    void refundsWaitingWhileThePaymentServiceIsDownAreCountedAndRetried() throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidTwoLineOrder("4200000305", 1);
        double retriesBefore = dispatched("retry");
        payments.stop();

        refunds.request(id, "diner-1", ORDER_FEN, "changed my mind", OrderFixture.DINER);

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(dispatched("retry")).isGreaterThan(retriesBefore));
        assertThat(waiting()).isGreaterThanOrEqualTo(1);
        payments.listen();
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(payments.refundsOf(id)).hasSize(1));
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(orderRefundSent(id)).isTrue());
    }

    @Test
    void aSingleItemRefundWhileCookingLeavesTheOrderCookingAndItStillReachesServed()
            throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidTwoLineOrder("4200000306", 1);
        walk(id, OrderState.COOKING);

        OrderRefunds.RefundOutcome asked =
                refundLine(id, "diner-tea", "SKU-TEA", 1, "tea was cold", OrderFixture.DINER);
        assertThat(asked.refundState()).isEqualTo("AWAITING_APPROVAL");
        OrderRefunds.RefundOutcome approved =
                refunds.decide(id, asked.refundId(), true, OrderFixture.STAFF, "");

        assertThat(approved.refundState()).isEqualTo("PROCESSING");
        assertThat(approved.move()).isNull();
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.COOKING);
        RefundRequest sent = sentRefund(payments, id, 2200);
        recordSuccess(id, sent, "4200000306");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.COOKING);
        assertThat(queries.get(id).refundedFen()).isEqualTo(2200);

        // The kitchen carries on with the rest of the food.
        assertThat(transitions.move(id, OrderState.READY, KITCHEN, "bumped").changed()).isTrue();
        assertThat(transitions.move(id, OrderState.SERVED, OrderFixture.STAFF, "").changed())
                .isTrue();
        OrderView served = queries.get(id);
        assertThat(served.state()).isEqualTo(OrderState.SERVED);
        assertThat(served.events()).noneMatch(e -> e.to() == OrderState.REFUNDING);
        assertThat(served.refunds())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.state()).isEqualTo("SUCCEEDED");
                            assertThat(r.requestedBy()).isEqualTo(OrderFixture.DINER);
                            assertThat(r.decidedBy()).isEqualTo(OrderFixture.STAFF);
                        });
    }

    @Test
    void staffCanApproveASecondItemRefundWhileTheFirstIsStillProcessing() throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidTwoLineOrder("4200000307", 1);
        walk(id, OrderState.COOKING);
        OrderRefunds.RefundOutcome tea =
                refundLine(id, "diner-tea", "SKU-TEA", 1, "tea was cold", OrderFixture.DINER);
        OrderRefunds.RefundOutcome beef =
                refundLine(
                        id, "diner-beef", "SKU-BEEF-L", 1, "one bowl was cold", OrderFixture.DINER);

        refunds.decide(id, tea.refundId(), true, OrderFixture.STAFF, "");
        RefundRequest teaSent = sentRefund(payments, id, 2200);
        OrderRefunds.RefundOutcome second =
                refunds.decide(id, beef.refundId(), true, OrderFixture.STAFF, "");

        assertThat(second.refundState()).isEqualTo("PROCESSING");
        assertThat(second.move()).isNull();
        assertThat(queries.get(id).refunds())
                .extracting(OrderView.Refund::refundFen, OrderView.Refund::state)
                .containsExactlyInAnyOrder(tuple(2200L, "PROCESSING"), tuple(1900L, "PROCESSING"));
        RefundRequest beefSent = sentRefund(payments, id, 1900);
        assertThat(List.of(teaSent.getOutRefundNo(), beefSent.getOutRefundNo()))
                .containsExactly(
                        TradeNumbers.orderKey(id) + "_R1", TradeNumbers.orderKey(id) + "_R2");
        recordSuccess(id, beefSent, "4200000307");
        recordSuccess(id, teaSent, "4200000307");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.COOKING);
        assertThat(queries.get(id).refundedFen()).isEqualTo(2200 + 1900);
        assertThat(transitions.move(id, OrderState.READY, KITCHEN, "bumped").changed()).isTrue();
    }

    @Test
    void linesRefundedBeforeAcceptanceAreLeftOffTheKitchenTickets() throws Exception {
        RecordingPaymentService.running();
        UUID id = paidTwoLineOrder("4200000309", 1);
        // Staff take back the tea and one of the two bowls before accepting: partial, no move.
        assertThat(
                        refundLine(
                                        id,
                                        "staff-tea",
                                        "SKU-TEA",
                                        1,
                                        "tea machine broken",
                                        OrderFixture.STAFF)
                                .move())
                .isNull();
        assertThat(
                        refundLine(
                                        id,
                                        "staff-beef",
                                        "SKU-BEEF-L",
                                        1,
                                        "one bowl only",
                                        OrderFixture.STAFF)
                                .move())
                .isNull();

        transitions.move(id, OrderState.ACCEPTED, OrderFixture.STAFF, "go");

        Map<String, JsonNode> tickets = new HashMap<>();
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT station, content FROM kitchen_tickets WHERE order_id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    tickets.put(rs.getString(1), new ObjectMapper().readTree(rs.getString(2)));
                }
            }
        }
        // The bar has nothing left to make; the kitchen cooks one bowl.
        assertThat(tickets).containsOnlyKeys("hot");
        assertThat(tickets.get("hot").path("lines")).hasSize(1);
        assertThat(tickets.get("hot").path("lines").get(0).path("name").asText())
                .isEqualTo("Beef noodles");
        assertThat(tickets.get("hot").path("lines").get(0).path("qty").asInt()).isEqualTo(1);
    }

    @Test
    void aRefundThatTakesTheRestStopsTheOrder() throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidTwoLineOrder("4200000308", 1);
        walk(id, OrderState.COOKING);
        OrderRefunds.RefundOutcome tea =
                refundLine(id, "staff-tea", "SKU-TEA", 1, "tea spilt", OrderFixture.STAFF);
        assertThat(tea.move()).isNull();
        RefundRequest teaSent = sentRefund(payments, id, 2200);

        // Both bowls: with the tea still processing this takes everything paid.
        OrderRefunds.RefundOutcome rest =
                refundLine(
                        id,
                        "staff-beef",
                        "SKU-BEEF-L",
                        2,
                        "kitchen closed early",
                        OrderFixture.STAFF);

        assertThat(rest.move()).isNotNull();
        assertThat(rest.move().to()).isEqualTo(OrderState.REFUNDING);
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);
        assertThatThrownBy(() -> transitions.move(id, OrderState.READY, KITCHEN, "bumped"))
                .isInstanceOf(IllegalTransitionException.class);
        RefundRequest beefSent = sentRefund(payments, id, 3800);
        recordSuccess(id, teaSent, "4200000308");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDING);
        recordSuccess(id, beefSent, "4200000308");
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.REFUNDED);
        assertThat(queries.get(id).refundedFen()).isEqualTo(ORDER_FEN);
    }

    @Test
    void aRefundApprovedBeforeServedIsPaidOutAfterItWithoutAMove() throws Exception {
        RecordingPaymentService payments = RecordingPaymentService.running();
        UUID id = paidTwoLineOrder("4200000309", 1);
        walk(id, OrderState.READY);
        refundLine(id, "staff-tea", "SKU-TEA", 1, "no tea left", OrderFixture.STAFF);
        transitions.move(id, OrderState.SERVED, OrderFixture.STAFF, "");
        assertThatThrownBy(
                        () -> refunds.request(id, "staff-beef", 1900, "cold", OrderFixture.STAFF))
                .isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining("refunds are not allowed after SERVED");

        recordSuccess(id, sentRefund(payments, id, 2200), "4200000309");

        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.SERVED);
        assertThat(queries.get(id).refundedFen()).isEqualTo(2200);
    }

    /** Moves a PAID order through the kitchen states up to {@code target}. */
    private void walk(UUID id, OrderState target) {
        for (OrderState next :
                List.of(
                        OrderState.ACCEPTED,
                        OrderState.DISPATCHING,
                        OrderState.COOKING,
                        OrderState.READY)) {
            transitions.move(
                    id, next, next == OrderState.ACCEPTED ? OrderFixture.STAFF : KITCHEN, "");
            if (next == target) {
                return;
            }
        }
    }

    /** The refund of {@code fen} the dispatcher sent to the payment service for the order. */
    private static RefundRequest sentRefund(RecordingPaymentService payments, UUID id, long fen) {
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(
                        () ->
                                assertThat(payments.refundsOf(id))
                                        .anyMatch(r -> r.getRefundFen() == fen));
        return payments.refundsOf(id).stream()
                .filter(r -> r.getRefundFen() == fen)
                .findFirst()
                .orElseThrow();
    }

    /** A PAID order of two lines, paid through OrderPayments.RecordPayment by attempt n. */
    private UUID paidTwoLineOrder(String transactionId, int attempt) throws Exception {
        UUID id = fixture.pendingOrder(store);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO order_lines (order_id, line_no, sku_code, spu_code, name,"
                                    + " spec, station, unit_price_fen, quantity, line_total_fen)"
                                    + " VALUES (?, 2, 'SKU-TEA', 'SPU-TEA', 'Jasmine tea', '',"
                                    + " 'bar', 2200, 1, 2200)")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("UPDATE orders SET total_fen = ? WHERE order_id = ?")) {
                ps.setLong(1, ORDER_FEN);
                ps.setObject(2, id);
                ps.executeUpdate();
            }
        }
        OrderPaymentsGrpc.newBlockingStub(channel)
                .withDeadlineAfter(15, TimeUnit.SECONDS)
                .recordPayment(
                        RecordPaymentRequest.newBuilder()
                                .setOrderId(id.toString())
                                .setOutTradeNo(TradeNumbers.outTradeNo(id, attempt))
                                .setStoreCode(store.storeCode())
                                .setPaidFen(ORDER_FEN)
                                .setTransactionId(transactionId)
                                .setPaidAt(now())
                                .build());
        assertThat(fixture.stateOf(id)).isEqualTo(OrderState.PAID);
        return id;
    }

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

    private UUID line(UUID orderId, String sku) {
        return queries.get(orderId).lines().stream()
                .filter(l -> l.skuCode().equals(sku))
                .findFirst()
                .orElseThrow()
                .lineId();
    }

    private int refundLineQuantity(UUID lineId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT COALESCE(sum(rl.quantity), 0) FROM refund_lines rl"
                                        + " JOIN refunds r ON r.refund_id = rl.refund_id"
                                        + " WHERE rl.order_line_id = ?"
                                        + " AND r.state NOT IN ('FAILED', 'DECLINED')")) {
            ps.setObject(1, lineId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private String orderColumn(UUID orderId, String column) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT " + column + " FROM orders WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private boolean orderRefundSent(UUID orderId) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT requested_at_payment FROM refunds WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null;
            }
        }
    }

    private double dispatched(String outcome) {
        Counter c = registry.find(RefundDispatcher.DISPATCHED).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    private double waiting() {
        Gauge g = registry.find(RefundDispatcher.WAITING).gauge();
        assertThat(g).as("gauge " + RefundDispatcher.WAITING).isNotNull();
        return g.value();
    }

    private static Timestamp now() {
        return Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000).build();
    }

    /** Requests a single-item refund of {@code quantity} of the order's line of {@code sku}. */
    private OrderRefunds.RefundOutcome refundLine(
            UUID id, String key, String sku, int quantity, String reason, Actor actor) {
        return refunds.request(
                id,
                key,
                0,
                List.of(new OrderRefunds.LineRequest(line(id, sku), quantity)),
                reason,
                actor);
    }
}
