package io.scanorder.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.wechat.pay.java.core.RSAConfig;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.service.partnerpayments.jsapi.JsapiService;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.Amount;
import com.wechat.pay.java.service.partnerpayments.jsapi.model.Payer;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.config.Merchant;
import io.scanorder.payment.config.MerchantSecretFiles;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.RefundState;
import io.scanorder.proto.payment.v1.ClosePaymentRequest;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.PrepayResponse;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.proto.payment.v1.RefundRequest;
import io.scanorder.proto.payment.v1.RefundResult;
import io.scanorder.wechatsim.WeChatSimulator;
import io.scanorder.wechatsim.pay.PayOutcome;
import io.scanorder.wechatsim.pay.RefundView;
import io.scanorder.wechatsim.pay.TradeState;
import io.scanorder.wechatsim.pay.TradeView;
import io.scanorder.wechatsim.pay.notify.Delivery;
import io.scanorder.wechatsim.pay.notify.DeliveryOutcome;
import jakarta.inject.Inject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The payment service in service-provider mode (a chain's sp_mchid placing orders for the store's
 * sub_mchid) against the WeChat simulator, through the official SDK's partner APIs: prepay, pay,
 * partner-shaped notification, query fallback, close and refund, a notification for another
 * sub-merchant refused, and no merchant secret in anything logged along the way.
 */
@QuarkusTest
@WithTestResource(
        value = PaymentInfrastructure.class,
        initArgs = @ResourceArg(name = PaymentInfrastructure.MODE, value = "SERVICE_PROVIDER"))
class ServiceProviderPaymentIT {
    private static final String STORE = "001";
    private static final String SP = PaymentInfrastructure.MCH_ID;
    private static final String SUB = PaymentInfrastructure.SUB_MCH_ID;
    private static final String OTHER_SUB = PaymentInfrastructure.OTHER_SUB_MCH_ID;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;
    @Inject MeterRegistry registry;
    @Inject Merchant merchant;

    private ManagedChannel channel;
    private PaymentServiceGrpc.PaymentServiceBlockingStub payments;
    private final CapturedLog log = new CapturedLog();

    @BeforeEach
    void connect() {
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        payments = PaymentServiceGrpc.newBlockingStub(channel);
        java.util.logging.Logger.getLogger("").addHandler(log);
    }

    @AfterEach
    void disconnect() throws InterruptedException {
        java.util.logging.Logger.getLogger("").removeHandler(log);
        wechat.pay().notifications().reset();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void partnerOrderIsPaidThroughTheSubMerchantAndNoSecretIsLogged() {
        String outTradeNo = newOrder() + "_1";
        PrepayResponse prepay = payments().prepay(prepayRequest(outTradeNo, 3_680));

        TradeView trade = wechat.pay().trade(SP, SUB, outTradeNo).orElseThrow();
        assertThat(trade.subMchid()).isEqualTo(SUB);
        assertThat(trade.openid()).isEqualTo("oPayer" + outTradeNo); // sent as sp_openid
        assertThat(prepay.getPrepayId()).isEqualTo(trade.prepayId());
        assertThat(prepay.getRequestPayment().getAppId()).isEqualTo(PaymentInfrastructure.APP_ID);
        assertThat(wechat.pay().trade(SP, outTradeNo)).isEmpty(); // not a direct order

        wechat.pay().pay(SP, SUB, outTradeNo, PayOutcome.SUCCESS);

        await().atMost(WAIT).until(() -> state(outTradeNo) == PaymentState.SUCCESS);
        PaymentRecord paid = store.find(outTradeNo).orElseThrow();
        assertThat(paid.transactionId())
                .isEqualTo(wechat.pay().trade(SP, SUB, outTradeNo).orElseThrow().transactionId());
        assertThat(paid.payerTotalFen()).isEqualTo(3_680L);
        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(deliveriesOf(outTradeNo))
                                        .anySatisfy(
                                                d -> assertThat(d.httpStatus()).isEqualTo(204)));

        // The capture saw this flow (so the check below is not vacuous) and no secret in it.
        String logged = log.text();
        assertThat(logged).contains(outTradeNo);
        assertThat(logged).doesNotContain(MerchantSecretFiles.API_V3_KEY);
        RSAPrivateCrtKey key = (RSAPrivateCrtKey) merchant.credentials().privateKey();
        String der = Base64.getEncoder().encodeToString(key.getEncoded());
        assertThat(logged).doesNotContain(der.substring(0, 64)).doesNotContain(der.substring(600));
        for (String pemLine :
                Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(key.getEncoded())
                        .split("\n")) {
            if (pemLine.length() >= 32) {
                assertThat(logged).doesNotContain(pemLine);
            }
        }
        assertThat(logged)
                .doesNotContain(key.getPrivateExponent().toString())
                .doesNotContain(key.getPrivateExponent().toString(16))
                .doesNotContain("PRIVATE KEY");
    }

    @Test
    void queryResolvesAPartnerPaymentWhoseNotificationNeverCame() {
        String outTradeNo = newOrder() + "_1";
        payments().prepay(prepayRequest(outTradeNo, 990));
        wechat.pay().notifications().suppressNext(1);
        wechat.pay().pay(SP, SUB, outTradeNo, PayOutcome.SUCCESS);

        assertThat(state(outTradeNo)).isEqualTo(PaymentState.NOT_PAID);
        Payment payment = payments().queryPayment(query(outTradeNo));

        assertThat(payment.getState())
                .isEqualTo(io.scanorder.proto.payment.v1.PaymentState.PAYMENT_STATE_SUCCESS);
        assertThat(payment.getPayerTotalFen()).isEqualTo(990);
        assertThat(state(outTradeNo)).isEqualTo(PaymentState.SUCCESS);
    }

    @Test
    void closingAPartnerPaymentClosesTheSubMerchantsOrder() {
        String outTradeNo = newOrder() + "_1";
        payments().prepay(prepayRequest(outTradeNo, 500));

        Payment closed =
                payments()
                        .closePayment(
                                ClosePaymentRequest.newBuilder()
                                        .setStoreCode(STORE)
                                        .setOutTradeNo(outTradeNo)
                                        .build());

        assertThat(closed.getState())
                .isEqualTo(io.scanorder.proto.payment.v1.PaymentState.PAYMENT_STATE_CLOSED);
        assertThat(wechat.pay().trade(SP, SUB, outTradeNo).orElseThrow().state())
                .isEqualTo(TradeState.CLOSED);
    }

    @Test
    void fullRefundGoesOutWithTheSubMerchantAndCompletes() {
        String order = newOrder();
        String outTradeNo = order + "_1";
        payments().prepay(prepayRequest(outTradeNo, 4_200));
        wechat.pay().pay(SP, SUB, outTradeNo, PayOutcome.SUCCESS);
        await().atMost(WAIT).until(() -> state(outTradeNo) == PaymentState.SUCCESS);

        RefundResult refund =
                payments()
                        .refund(
                                approved(
                                        RefundRequest.newBuilder()
                                                .setStoreCode(STORE)
                                                .setOutTradeNo(outTradeNo)
                                                .setOutRefundNo(order + "_R1")
                                                .setRefundFen(4_200)
                                                .setTotalFen(4_200)
                                                .setReason("整单退款")
                                                .addGoods(
                                                        io.scanorder.proto.payment.v1.RefundGoods
                                                                .newBuilder()
                                                                .setMerchantGoodsId("SKU-DUCK")
                                                                .setGoodsName("Roast duck")
                                                                .setUnitPriceFen(2_100)
                                                                .setRefundQuantity(2)
                                                                .setRefundFen(4_200))
                                                .build()));

        assertThat(refund.getRefundFen()).isEqualTo(4_200);
        RefundView atWeChat =
                wechat.pay().refunds().stream()
                        .filter(r -> r.outRefundNo().equals(order + "_R1"))
                        .findFirst()
                        .orElseThrow();
        assertThat(atWeChat.subMchid()).isEqualTo(SUB);
        // A single-item refund's goods_detail goes out in partner mode too.
        assertThat(atWeChat.goods())
                .singleElement()
                .satisfies(
                        g -> {
                            assertThat(g.merchantGoodsId()).isEqualTo("SKU-DUCK");
                            assertThat(g.refundQuantity()).isEqualTo(2);
                            assertThat(g.refundAmount()).isEqualTo(4_200);
                        });
        await().atMost(WAIT)
                .until(
                        () ->
                                store.findRefund(order + "_R1").orElseThrow().state()
                                        == RefundState.SUCCESS);
        assertThat(state(outTradeNo)).isEqualTo(PaymentState.REFUNDED);
    }

    @Test
    void notificationForAnotherSubMerchantIsRefusedAndChangesNothing() throws Exception {
        String outTradeNo = newOrder() + "_1";
        payments().prepay(prepayRequest(outTradeNo, 1_500));
        double before = notifications("foreign_merchant");
        // The same out_trade_no placed by the provider for another store, notified to this one.
        JsapiService partner = partnerSdk();
        var request = new com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayRequest();
        request.setSpAppid(PaymentInfrastructure.APP_ID);
        request.setSpMchid(SP);
        request.setSubMchid(OTHER_SUB);
        request.setDescription("another store");
        request.setOutTradeNo(outTradeNo);
        request.setNotifyUrl(merchant.config().notifyUrl().toString());
        Amount amount = new Amount();
        amount.setTotal(1_500);
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setSpOpenid("oSomeoneElse");
        request.setPayer(payer);
        partner.prepay(request);

        wechat.pay().pay(SP, OTHER_SUB, outTradeNo, PayOutcome.SUCCESS);

        await().atMost(WAIT)
                .untilAsserted(
                        () ->
                                assertThat(deliveriesOf(outTradeNo))
                                        .anySatisfy(
                                                d -> {
                                                    assertThat(d.httpStatus()).isEqualTo(403);
                                                    assertThat(d.outcome())
                                                            .isNotEqualTo(
                                                                    DeliveryOutcome.ACKNOWLEDGED);
                                                }));
        assertThat(notifications("foreign_merchant")).isGreaterThan(before);
        assertThat(log.text()).contains("sub_mchid " + OTHER_SUB);
        assertThat(state(outTradeNo)).isEqualTo(PaymentState.NOT_PAID);
        assertThat(store.find(outTradeNo).orElseThrow().transactionId()).isNull();
    }

    // --- helpers ----------------------------------------------------------------------------

    private PaymentServiceGrpc.PaymentServiceBlockingStub payments() {
        return payments.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    private static String newOrder() {
        return "S" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
    }

    private static PrepayRequest prepayRequest(String outTradeNo, long fen) {
        return PrepayRequest.newBuilder()
                .setStoreCode(STORE)
                .setOutTradeNo(outTradeNo)
                .setOrderId(outTradeNo.split("_")[0])
                .setDescription("连锁 001 店 桌 8")
                .setAmountFen(fen)
                .setPayerOpenid("oPayer" + outTradeNo)
                .build();
    }

    private static QueryPaymentRequest query(String outTradeNo) {
        return QueryPaymentRequest.newBuilder()
                .setStoreCode(STORE)
                .setOutTradeNo(outTradeNo)
                .build();
    }

    private PaymentState state(String outTradeNo) {
        return store.find(outTradeNo).map(PaymentRecord::state).orElse(null);
    }

    private List<Delivery> deliveriesOf(String subject) {
        return wechat.pay().deliveries().stream().filter(d -> d.subject().equals(subject)).toList();
    }

    private double notifications(String result) {
        return registry.counter("scanorder.payment.notifications", "result", result).count();
    }

    /**
     * The provider's SDK as another of its stores would use it. RSAConfig with the simulator's
     * platform certificate, since the SDK allows one auto-certificate config per merchant per JVM
     * and the service under test holds it.
     */
    private JsapiService partnerSdk() throws Exception {
        HttpUrl target = HttpUrl.get(wechat.baseUrl());
        OkHttpClient ok =
                new OkHttpClient.Builder()
                        .addInterceptor(
                                chain ->
                                        chain.proceed(
                                                chain.request()
                                                        .newBuilder()
                                                        .url(
                                                                chain.request()
                                                                        .url()
                                                                        .newBuilder()
                                                                        .scheme(target.scheme())
                                                                        .host(target.host())
                                                                        .port(target.port())
                                                                        .build())
                                                        .build()))
                        .build();
        String certificate =
                "-----BEGIN CERTIFICATE-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(wechat.pay().platform().certificate().getEncoded())
                        + "\n-----END CERTIFICATE-----\n";
        RSAConfig config =
                new RSAConfig.Builder()
                        .merchantId(SP)
                        .privateKey(merchant.credentials().privateKey())
                        .merchantSerialNumber(PaymentInfrastructure.SERIAL)
                        .wechatPayCertificates(certificate)
                        .build();
        return new JsapiService.Builder()
                .httpClient(new DefaultHttpClientBuilder().config(config).okHttpClient(ok).build())
                .build();
    }

    /** Every log record of the running service (all loggers), formatted, with stack traces. */
    private static final class CapturedLog extends Handler {
        private final List<String> lines = new ArrayList<>();

        CapturedLog() {
            setLevel(Level.ALL);
        }

        @Override
        public synchronized void publish(LogRecord record) {
            String message =
                    record instanceof ExtLogRecord ext
                            ? ext.getFormattedMessage()
                            : record.getMessage();
            StringBuilder line = new StringBuilder(record.getLoggerName() + " " + message);
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                line.append('\n').append(trace);
            }
            lines.add(line.toString());
        }

        synchronized String text() {
            return String.join("\n", lines);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    }

    /** The request, once staff approved it at the (stand-in) order service, as in production. */
    private static RefundRequest approved(RefundRequest request) {
        return PaymentInfrastructure.orderService()
                .approve(request.getOutTradeNo().split("_")[0], request);
    }
}
