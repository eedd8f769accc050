package io.scanorder.payment.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.DataKeys;
import io.scanorder.payment.InjectWeChat;
import io.scanorder.payment.PaymentInfrastructure;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.wechatsim.WeChatSimulator;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Payer openids and WeChat transaction ids are stored encrypted (AES-256-GCM) in the real payment
 * database: the raw rows hold no clear value, keys rotate without losing old rows, and a tampered
 * ciphertext is refused naming its row.
 */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class EncryptionAtRestIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;
    @Inject OrderNoticeStore notices;
    @Inject DataSource dataSource;

    @Test
    void theRawRowsOfAPaidPaymentHoldNeitherOpenidNorTransactionIdInClear() throws Exception {
        String order = newOrder();
        String outTradeNo = order + "_1";
        String openid = "oClearText" + order;
        prepay(outTradeNo, openid);
        wechat.pay().pay(PaymentInfrastructure.MCH_ID, outTradeNo);
        await().atMost(WAIT)
                .until(() -> store.find(outTradeNo).orElseThrow().transactionId() != null);
        PaymentRecord paid = store.find(outTradeNo).orElseThrow();
        await().atMost(WAIT).until(() -> notices.find(outTradeNo).isPresent());

        String paymentRow = raw("SELECT row_to_json(p)::text FROM payments p", outTradeNo);
        String noticeRow = raw("SELECT row_to_json(n)::text FROM order_notices n", outTradeNo);

        assertThat(paid.payerOpenid()).isEqualTo(openid);
        assertThat(paid.transactionId()).isNotBlank();
        assertThat(paymentRow)
                .contains(outTradeNo)
                .contains("enc1:k1:")
                .doesNotContain(openid)
                .doesNotContain(paid.transactionId());
        assertThat(noticeRow).contains("enc1:k1:").doesNotContain(paid.transactionId());
        assertThat(notices.find(outTradeNo).orElseThrow().transactionId())
                .isEqualTo(paid.transactionId());
    }

    @Test
    void rowsWrittenWithTheOldKeyStayReadableAfterRotationAndNewRowsUseTheNewKey()
            throws Exception {
        PaymentStore withK1 =
                new PaymentStore(
                        dataSource, DataKeys.cipher(PaymentInfrastructure.keyDir(), "k1", "k1"));
        PaymentStore rotated =
                new PaymentStore(
                        dataSource,
                        DataKeys.cipher(PaymentInfrastructure.keyDir(), "k2", "k1", "k2"));
        String before = newOrder() + "_1";
        String after = newOrder() + "_1";

        assertThat(withK1.insertIfAbsent(payment(before, "oBefore"))).isTrue();
        withK1.apply(before, paidReport("4200" + System.nanoTime()));
        assertThat(rotated.insertIfAbsent(payment(after, "oAfter"))).isTrue();

        assertThat(column("payer_openid", before)).startsWith("enc1:k1:");
        assertThat(column("transaction_id", before)).startsWith("enc1:k1:");
        assertThat(column("payer_openid", after)).startsWith("enc1:k2:");
        assertThat(rotated.find(before).orElseThrow().payerOpenid()).isEqualTo("oBefore");
        assertThat(rotated.find(before).orElseThrow().transactionId()).startsWith("4200");
        assertThat(rotated.find(after).orElseThrow().payerOpenid()).isEqualTo("oAfter");
        // A replica that does not have k2 yet cannot read the new row and says why.
        assertThatThrownBy(() -> withK1.find(after))
                .isInstanceOf(FieldCipher.EncryptedFieldException.class)
                .hasMessageContaining("key 'k2', which is not configured");
    }

    @Test
    void aTamperedCiphertextFailsWithAnErrorNamingTheRow() throws Exception {
        String outTradeNo = newOrder() + "_1";
        assertThat(store.insertIfAbsent(payment(outTradeNo, "oTampered"))).isTrue();
        String stored = column("payer_openid", outTradeNo);
        int last = stored.length() - 5;
        char flipped = stored.charAt(last) == 'A' ? 'B' : 'A';
        String tampered = stored.substring(0, last) + flipped + stored.substring(last + 1);
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE payments SET payer_openid = ? WHERE out_trade_no = ?")) {
            ps.setString(1, tampered);
            ps.setString(2, outTradeNo);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        assertThatThrownBy(() -> store.find(outTradeNo))
                .isInstanceOf(FieldCipher.EncryptedFieldException.class)
                .hasMessageContaining("payer_openid")
                .hasMessageContaining("payments/" + outTradeNo)
                .hasMessageContaining("failed authentication with key 'k1'");
    }

    @Test
    void valuesWrittenInClearBeforeEncryptionAreEncryptedByTheLegacyPass() throws Exception {
        String outTradeNo = newOrder() + "_1";
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "INSERT INTO payments (out_trade_no, store_code, order_id,"
                                        + " description, amount_fen, payer_openid, state,"
                                        + " state_rank, transaction_id, created_at, updated_at)"
                                        + " VALUES (?, '001', 'legacy', 'd', 100, 'oLegacyClear',"
                                        + " 'SUCCESS', 4, ?, now(), now())")) {
            ps.setString(1, outTradeNo);
            ps.setString(2, "4200legacy" + System.nanoTime());
            ps.executeUpdate();
        }

        assertThat(store.encryptLegacyRows()).isGreaterThanOrEqualTo(1);

        assertThat(column("payer_openid", outTradeNo)).startsWith("enc1:k1:");
        assertThat(column("transaction_id", outTradeNo)).startsWith("enc1:k1:");
        assertThat(store.find(outTradeNo).orElseThrow().payerOpenid()).isEqualTo("oLegacyClear");
        assertThat(store.find(outTradeNo).orElseThrow().transactionId()).startsWith("4200legacy");
    }

    private static PaymentRecord payment(String outTradeNo, String openid) {
        return new PaymentRecord(
                outTradeNo,
                "001",
                outTradeNo.split("_")[0],
                "ScanOrder 001",
                500,
                openid,
                null,
                null,
                PaymentState.NOT_PAID,
                null,
                null,
                null,
                null);
    }

    private static StateReport paidReport(String transactionId) {
        return new StateReport(PaymentState.SUCCESS, "paid", transactionId, 500L, Instant.now());
    }

    private String column(String column, String outTradeNo) throws SQLException {
        return raw("SELECT " + column + " FROM payments", outTradeNo);
    }

    private String raw(String select, String outTradeNo) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement(select + " WHERE out_trade_no = ?")) {
            ps.setString(1, outTradeNo);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("row of " + outTradeNo).isTrue();
                return rs.getString(1);
            }
        }
    }

    private static void prepay(String outTradeNo, String openid) throws InterruptedException {
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            PaymentServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(15, TimeUnit.SECONDS)
                    .prepay(
                            PrepayRequest.newBuilder()
                                    .setStoreCode("001")
                                    .setOutTradeNo(outTradeNo)
                                    .setOrderId(outTradeNo.split("_")[0])
                                    .setDescription("ScanOrder 001")
                                    .setAmountFen(500)
                                    .setPayerOpenid(openid)
                                    .build());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static String newOrder() {
        return "T" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    }
}
