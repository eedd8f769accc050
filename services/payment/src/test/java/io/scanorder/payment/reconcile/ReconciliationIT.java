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
import io.scanorder.payment.store.StateReport;
import io.scanorder.proto.payment.v1.DifferenceKind;
import io.scanorder.proto.payment.v1.GetReconciliationReportRequest;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.ReconcileBillRequest;
import io.scanorder.proto.payment.v1.ReconciliationDifference;
import io.scanorder.proto.payment.v1.ReconciliationReport;
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

        ReconciliationReport report =
                call().reconcileBill(
                                ReconcileBillRequest.newBuilder()
                                        .setStoreCode("001")
                                        .setBillDate(today)
                                        .build());

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

        ReconciliationReport stored =
                call().getReconciliationReport(
                                GetReconciliationReportRequest.newBuilder()
                                        .setStoreCode("001")
                                        .setBillDate(today)
                                        .build());
        assertThat(stored.getRunId()).isEqualTo(report.getRunId());
        assertThat(stored.getDifferencesList())
                .containsExactlyInAnyOrderElementsOf(report.getDifferencesList());
    }

    @Test
    void badDaysAreRefusedAndUnreconciledDaysAreNotFound() {
        StatusRuntimeException future =
                catchThrowableOfType(
                        StatusRuntimeException.class,
                        () ->
                                call().reconcileBill(
                                                ReconcileBillRequest.newBuilder()
                                                        .setStoreCode("001")
                                                        .setBillDate(
                                                                LocalDate.now(Reconciler.CHINA)
                                                                        .plusDays(2)
                                                                        .toString())
                                                        .build()));
        assertThat(future.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(future.getStatus().getDescription()).contains("in the future");
        StatusRuntimeException malformed =
                catchThrowableOfType(
                        StatusRuntimeException.class,
                        () ->
                                call().getReconciliationReport(
                                                GetReconciliationReportRequest.newBuilder()
                                                        .setStoreCode("001")
                                                        .setBillDate("26/11/2026")
                                                        .build()));
        assertThat(malformed.getStatus().getDescription()).contains("bill_date");
        StatusRuntimeException never =
                catchThrowableOfType(
                        StatusRuntimeException.class,
                        () ->
                                call().getReconciliationReport(
                                                GetReconciliationReportRequest.newBuilder()
                                                        .setStoreCode("001")
                                                        .setBillDate("2020-01-01")
                                                        .build()));
        assertThat(never.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
    }

    private static ReconciliationDifference difference(ReconciliationReport r, String outTradeNo) {
        return r.getDifferencesList().stream()
                .filter(d -> d.getOutTradeNo().equals(outTradeNo))
                .findFirst()
                .orElseThrow(() -> new AssertionError(outTradeNo + " not in " + r));
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

    private PaymentServiceGrpc.PaymentServiceBlockingStub call() {
        return payments.withDeadlineAfter(20, TimeUnit.SECONDS);
    }
}
