package io.scanorder.payment.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.InjectWeChat;
import io.scanorder.payment.PaymentInfrastructure;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundState;
import io.scanorder.payment.store.StateReport;
import io.scanorder.proto.payment.v1.DifferenceKind;
import io.scanorder.proto.payment.v1.GetReconciliationReportRequest;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.ReconcileBillRequest;
import io.scanorder.proto.payment.v1.ReconciliationDifference;
import io.scanorder.proto.payment.v1.ReconciliationRefundDifference;
import io.scanorder.proto.payment.v1.ReconciliationReport;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.wechatsim.WeChatSimulator;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation of the simulator's real trade bill (signed application, gzip download, SHA-1
 * check) with the payment database, making every kind of difference happen.
 */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class ReconciliationIT {
    private static final String MCH = PaymentInfrastructure.MCH_ID;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;
    @Inject DataSource dataSource;
    @Inject MeterRegistry registry;

    private ManagedChannel channel;
    private PaymentServiceGrpc.PaymentServiceBlockingStub payments;

    @BeforeEach
    void connect() {
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        payments = PaymentServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        wechat.pay().notifications().reset();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void everyKindOfDifferenceBetweenTheBillAndTheRecordsIsReported() throws Exception {
        String matched = paid(1_100);
        String mismatched = paid(2_200);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE payments SET amount_fen = 2300 WHERE out_trade_no = ?")) {
            ps.setString(1, mismatched);
            ps.executeUpdate();
        }
        String missingHere = prepay(3_300);
        wechat.pay().notifications().suppressNext(1);
        wechat.pay().pay(MCH, missingHere);
        String missingAtWeChat = prepay(4_400);
        store.apply(
                missingAtWeChat,
                new StateReport(
                        PaymentState.SUCCESS,
                        "paid",
                        "4200" + System.nanoTime(),
                        4_400L,
                        Instant.now()));
        String today = LocalDate.now(Reconciler.CHINA).toString();

        ReconciliationReport report = reconcile(today);

        assertThat(report.getBillDate()).isEqualTo(today);
        assertThat(report.getMatchedCount()).isGreaterThanOrEqualTo(1);
        assertThat(report.getDifferencesList()).noneMatch(d -> d.getOutTradeNo().equals(matched));
        assertThat(difference(report, mismatched))
                .satisfies(
                        d -> {
                            assertThat(d.getKind())
                                    .isEqualTo(DifferenceKind.DIFFERENCE_KIND_AMOUNT_MISMATCH);
                            assertThat(d.getOurAmountFen()).isEqualTo(2_300);
                            assertThat(d.getWechatAmountFen()).isEqualTo(2_200);
                        });
        assertThat(difference(report, missingHere))
                .satisfies(
                        d -> {
                            assertThat(d.getKind())
                                    .isEqualTo(DifferenceKind.DIFFERENCE_KIND_MISSING_HERE);
                            assertThat(d.getWechatAmountFen()).isEqualTo(3_300);
                            assertThat(d.getTransactionId())
                                    .isEqualTo(
                                            wechat.pay()
                                                    .trade(MCH, missingHere)
                                                    .orElseThrow()
                                                    .transactionId());
                            assertThat(d.getDetail()).contains("NOT_PAID");
                        });
        assertThat(difference(report, missingAtWeChat))
                .satisfies(
                        d -> {
                            assertThat(d.getKind())
                                    .isEqualTo(DifferenceKind.DIFFERENCE_KIND_MISSING_AT_WECHAT);
                            assertThat(d.getOurAmountFen()).isEqualTo(4_400);
                        });
        assertThat(report.getMismatchCount()).isGreaterThanOrEqualTo(1);
        assertThat(report.getMissingHereCount()).isGreaterThanOrEqualTo(1);
        assertThat(report.getMissingAtWechatCount()).isGreaterThanOrEqualTo(1);
        assertThat(gauge("amount_mismatch")).isEqualTo(report.getMismatchCount());
        assertThat(gauge("missing_here")).isEqualTo(report.getMissingHereCount());
        assertThat(gauge("missing_at_wechat")).isEqualTo(report.getMissingAtWechatCount());

        ReconciliationReport stored = storedReport(today);
        assertThat(stored.getRunId()).isEqualTo(report.getRunId());
        assertThat(stored.getDifferencesList())
                .containsExactlyInAnyOrderElementsOf(report.getDifferencesList());
    }

    @Test
    void everyKindOfRefundDifferenceBetweenTheBillAndTheRecordsIsReported() throws Exception {
        String matchedTrade = paid(3_000);
        String matched = refunded(matchedTrade, 1_000);
        String mismatchedTrade = paid(2_000);
        String mismatched = refunded(mismatchedTrade, 500);
        sql("UPDATE refunds SET refund_fen = 600 WHERE out_refund_no = ?", mismatched);
        // WeChat refunded it, but here its outcome never arrived.
        String missingHere = refunded(paid(1_500), 700);
        sql(
                "UPDATE refunds SET status = 'PROCESSING', status_rank = 1, succeeded_at = NULL"
                        + " WHERE out_refund_no = ?",
                missingHere);
        // Recorded here as refunded, unknown to WeChat.
        String unknownTrade = paid(900);
        String missingAtWeChat = unknownTrade.replace("_1", "_R7");
        sql(
                "INSERT INTO refunds (out_refund_no, out_trade_no, refund_fen, status, status_rank,"
                        + " refund_id, succeeded_at, created_at, updated_at)"
                        + " VALUES (?, ?, 900, 'SUCCESS', 3, '50399999', now(), now(), now())",
                missingAtWeChat,
                unknownTrade);
        String today = LocalDate.now(Reconciler.CHINA).toString();

        ReconciliationReport report = reconcile(today);

        assertThat(report.getMatchedRefundCount()).isGreaterThanOrEqualTo(1);
        assertThat(report.getRefundDifferencesList())
                .noneMatch(d -> d.getOutRefundNo().equals(matched));
        assertThat(refundDifference(report, mismatched))
                .satisfies(
                        d -> {
                            assertThat(d.getKind())
                                    .isEqualTo(DifferenceKind.DIFFERENCE_KIND_AMOUNT_MISMATCH);
                            assertThat(d.getOutTradeNo()).isEqualTo(mismatchedTrade);
                            assertThat(d.getOurRefundFen()).isEqualTo(600);
                            assertThat(d.getWechatRefundFen()).isEqualTo(500);
                            assertThat(d.getRefundId()).isNotBlank();
                        });
        assertThat(refundDifference(report, missingHere))
                .satisfies(
                        d -> {
                            assertThat(d.getKind())
                                    .isEqualTo(DifferenceKind.DIFFERENCE_KIND_MISSING_HERE);
                            assertThat(d.getWechatRefundFen()).isEqualTo(700);
                            assertThat(d.getDetail())
                                    .contains("recorded here as PROCESSING")
                                    .contains("QueryRefund");
                        });
        assertThat(refundDifference(report, missingAtWeChat))
                .satisfies(
                        d -> {
                            assertThat(d.getKind())
                                    .isEqualTo(DifferenceKind.DIFFERENCE_KIND_MISSING_AT_WECHAT);
                            assertThat(d.getOurRefundFen()).isEqualTo(900);
                            assertThat(d.getRefundId()).isEqualTo("50399999");
                        });
        // The payments themselves still match: refund rows are not payments.
        assertThat(report.getDifferencesList())
                .noneMatch(d -> d.getOutTradeNo().equals(matchedTrade));
        for (DifferenceKind kind :
                new DifferenceKind[] {
                    DifferenceKind.DIFFERENCE_KIND_MISSING_HERE,
                    DifferenceKind.DIFFERENCE_KIND_MISSING_AT_WECHAT,
                    DifferenceKind.DIFFERENCE_KIND_AMOUNT_MISMATCH
                }) {
            String tag = kind.name().substring("DIFFERENCE_KIND_".length()).toLowerCase();
            assertThat(refundGauge(tag))
                    .as("refund mismatches gauge %s", tag)
                    .isEqualTo(
                            report.getRefundDifferencesList().stream()
                                    .filter(d -> d.getKind() == kind)
                                    .count());
        }

        ReconciliationReport stored = storedReport(today);
        assertThat(stored.getMatchedRefundCount()).isEqualTo(report.getMatchedRefundCount());
        assertThat(stored.getRefundDifferencesList())
                .containsExactlyInAnyOrderElementsOf(report.getRefundDifferencesList());
    }

    @Test
    void badDaysAreRefusedAndUnreconciledDaysAreNotFound() {
        StatusRuntimeException future =
                catchThrowableOfType(
                        StatusRuntimeException.class,
                        () -> reconcile(LocalDate.now(Reconciler.CHINA).plusDays(2).toString()));
        assertThat(future.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(future.getStatus().getDescription()).contains("in the future");
        StatusRuntimeException malformed =
                catchThrowableOfType(
                        StatusRuntimeException.class, () -> storedReport("26/11/2026"));
        assertThat(malformed.getStatus().getDescription()).contains("bill_date");
        StatusRuntimeException never =
                catchThrowableOfType(
                        StatusRuntimeException.class, () -> storedReport("2020-01-01"));
        assertThat(never.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    private static ReconciliationDifference difference(ReconciliationReport r, String outTradeNo) {
        return r.getDifferencesList().stream()
                .filter(d -> d.getOutTradeNo().equals(outTradeNo))
                .findFirst()
                .orElseThrow(() -> new AssertionError(outTradeNo + " not in " + r));
    }

    private static ReconciliationRefundDifference refundDifference(
            ReconciliationReport r, String outRefundNo) {
        return r.getRefundDifferencesList().stream()
                .filter(d -> d.getOutRefundNo().equals(outRefundNo))
                .findFirst()
                .orElseThrow(() -> new AssertionError(outRefundNo + " not in " + r));
    }

    /** Refunds {@code fen} of a paid trade (approved at the stand-in order service) and waits. */
    private String refunded(String outTradeNo, long fen) {
        String outRefundNo = outTradeNo.replace("_1", "_R1");
        call().refund(
                        PaymentInfrastructure.orderService()
                                .approve(
                                        outTradeNo.split("_")[0],
                                        RefundRequest.newBuilder()
                                                .setStoreCode("001")
                                                .setOutTradeNo(outTradeNo)
                                                .setOutRefundNo(outRefundNo)
                                                .setRefundFen(fen)
                                                .setTotalFen(
                                                        store.find(outTradeNo)
                                                                .orElseThrow()
                                                                .amountFen())
                                                .setReason("reconciliation test")
                                                .build()));
        await().atMost(WAIT)
                .until(
                        () ->
                                store.findRefund(outRefundNo).orElseThrow().state()
                                        == RefundState.SUCCESS);
        return outRefundNo;
    }

    private void sql(String statement, String... args) throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(statement)) {
            for (int i = 0; i < args.length; i++) {
                ps.setString(i + 1, args[i]);
            }
            assertThat(ps.executeUpdate()).as(statement).isEqualTo(1);
        }
    }

    private double refundGauge(String kind) {
        return registry.get("scanorder.reconciliation.refund.mismatches")
                .tag("kind", kind)
                .gauge()
                .value();
    }

    private String paid(long fen) {
        String outTradeNo = prepay(fen);
        wechat.pay().pay(MCH, outTradeNo);
        await().atMost(WAIT)
                .until(() -> store.find(outTradeNo).orElseThrow().state() == PaymentState.SUCCESS);
        return outTradeNo;
    }

    private String prepay(long fen) {
        String order = "R" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        String outTradeNo = order + "_1";
        call().prepay(
                        PrepayRequest.newBuilder()
                                .setStoreCode("001")
                                .setOutTradeNo(outTradeNo)
                                .setOrderId(order)
                                .setDescription("ScanOrder 001")
                                .setAmountFen(fen)
                                .setPayerOpenid("oPayer" + order)
                                .build());
        return outTradeNo;
    }

    private double gauge(String kind) {
        return registry.get("scanorder.reconciliation.mismatches")
                .tag("kind", kind)
                .gauge()
                .value();
    }

    /** Runs {@code ReconcileBill} for store 001 and a bill date. */
    private ReconciliationReport reconcile(String billDate) {
        return call().reconcileBill(
                        ReconcileBillRequest.newBuilder()
                                .setStoreCode("001")
                                .setBillDate(billDate)
                                .build());
    }

    /** The latest report of store 001 for a bill date ({@code GetReconciliationReport}). */
    private ReconciliationReport storedReport(String billDate) {
        return call().getReconciliationReport(
                        GetReconciliationReportRequest.newBuilder()
                                .setStoreCode("001")
                                .setBillDate(billDate)
                                .build());
    }

    private PaymentServiceGrpc.PaymentServiceBlockingStub call() {
        return payments.withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
