package io.scanorder.wechatsim.pay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.service.billdownload.DigestBillEntity;
import com.wechat.pay.java.service.billdownload.model.GetTradeBillRequest;
import com.wechat.pay.java.service.payments.jsapi.model.Amount;
import com.wechat.pay.java.service.payments.jsapi.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.jsapi.model.Payer;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayRequest;
import com.wechat.pay.java.service.payments.jsapi.model.PrepayWithRequestPaymentResponse;
import com.wechat.pay.java.service.payments.jsapi.model.QueryOrderByOutTradeNoRequest;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.AmountReq;
import com.wechat.pay.java.service.refund.model.CreateRequest;
import com.wechat.pay.java.service.refund.model.QueryByOutRefundNoRequest;
import com.wechat.pay.java.service.refund.model.Refund;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import com.wechat.pay.java.service.refund.model.Status;
import io.scanorder.wechatsim.WeChatSimulator;
import io.scanorder.wechatsim.pay.crypto.PayCrypto;
import io.scanorder.wechatsim.pay.notify.Delivery;
import io.scanorder.wechatsim.pay.notify.DeliveryControls.ReleaseOrder;
import io.scanorder.wechatsim.pay.notify.DeliveryOutcome;
import io.scanorder.wechatsim.pay.notify.Forgery;
import io.scanorder.wechatsim.pay.notify.RetrySchedule;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives the simulated WeChat Pay with the official wechatpay-java SDK, as the payment service
 * will.
 */
class WeChatPaySimulatorIT {
    private static final String APPID = "wx5f3c1b2a9d8e7f60";
    private static final MerchantKeys MERCHANT = MerchantKeys.generate("1900000109", APPID);
    private static final MerchantKeys PK_MERCHANT = MerchantKeys.generate("1900000208", APPID);
    private static final AtomicInteger ORDERS = new AtomicInteger();

    private static WeChatSimulator wechat;
    private static PaySimulator pay;
    private static NotificationReceiver receiver;
    private static PaySdk sdk;

    @BeforeAll
    static void start() throws Exception {
        wechat = WeChatSimulator.start(0);
        pay = wechat.pay();
        MERCHANT.registerWith(pay, VerificationMode.PLATFORM_CERTIFICATE);
        PK_MERCHANT.registerWith(pay, VerificationMode.PUBLIC_KEY);
        receiver = new NotificationReceiver();
        sdk = PaySdk.autoCertificate(wechat.baseUrl(), MERCHANT);
    }

    @AfterAll
    static void stop() {
        receiver.close();
        wechat.close();
    }

    @BeforeEach
    void normalDelivery() {
        pay.notifications().reset();
        pay.retrySchedule(RetrySchedule.wechat().scaled(0.001)); // 15s -> 15ms
        receiver.answer(204);
        receiver.clear();
    }

    private static String newOrderNo() {
        return "SO" + System.nanoTime() % 1_000_000_000L + "N" + ORDERS.incrementAndGet();
    }

    private static PrepayRequest prepayRequest(MerchantKeys merchant, String outTradeNo, int fen) {
        PrepayRequest request = new PrepayRequest();
        request.setAppid(merchant.appid());
        request.setMchid(merchant.mchid());
        request.setDescription("Table 7 - 2x noodles");
        request.setOutTradeNo(outTradeNo);
        request.setNotifyUrl(receiver.url("/pay/" + outTradeNo));
        Amount amount = new Amount();
        amount.setTotal(fen);
        request.setAmount(amount);
        Payer payer = new Payer();
        payer.setOpenid("oDiner0001");
        request.setPayer(payer);
        return request;
    }

    private static String prepay(String outTradeNo, int fen) {
        return sdk.jsapi()
                .prepayWithRequestPayment(prepayRequest(MERCHANT, outTradeNo, fen))
                .getPackageVal();
    }

    private static Transaction query(String outTradeNo) {
        QueryOrderByOutTradeNoRequest request = new QueryOrderByOutTradeNoRequest();
        request.setMchid(MERCHANT.mchid());
        request.setOutTradeNo(outTradeNo);
        return sdk.jsapi().queryOrderByOutTradeNo(request);
    }

    private static List<NotificationReceiver.Received> received(List<String> paths) {
        return receiver.received().stream().filter(r -> paths.contains(r.path())).toList();
    }

    private static List<Delivery> deliveriesOf(String subject) {
        return pay.deliveries().stream().filter(d -> d.subject().equals(subject)).toList();
    }

    @Test
    void prepayReturnsPrepayIdInRequestPaymentParametersAfterSdkVerifiedTheSignature() {
        String outTradeNo = newOrderNo();

        PrepayWithRequestPaymentResponse response =
                sdk.jsapi().prepayWithRequestPayment(prepayRequest(MERCHANT, outTradeNo, 1234));

        TradeView trade = pay.trade(MERCHANT.mchid(), outTradeNo).orElseThrow();
        assertThat(response.getPackageVal()).isEqualTo("prepay_id=" + trade.prepayId());
        assertThat(trade.prepayId()).startsWith("wx");
        assertThat(trade.total()).isEqualTo(1234);
        assertThat(trade.state()).isEqualTo(TradeState.NOTPAY);
    }

    @Test
    void repeatedPrepayGivesSamePrepayIdButChangedContentIsRefused() {
        String outTradeNo = newOrderNo();
        String first = prepay(outTradeNo, 500);

        assertThat(prepay(outTradeNo, 500)).isEqualTo(first);
        assertThatThrownBy(() -> prepay(outTradeNo, 501))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> {
                            assertThat(e.getHttpStatusCode()).isEqualTo(400);
                            assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST");
                        });
    }

    @Test
    void queryAnswersNotpayThenSuccessAfterThePayerPays() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 880);
        assertThat(query(outTradeNo).getTradeState()).isEqualTo(Transaction.TradeStateEnum.NOTPAY);

        pay.pay(MERCHANT.mchid(), outTradeNo);

        Transaction paid = query(outTradeNo);
        assertThat(paid.getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
        assertThat(paid.getTransactionId()).startsWith("4200");
        assertThat(paid.getAmount().getTotal()).isEqualTo(880);
        assertThat(paid.getAmount().getPayerTotal()).isEqualTo(880);
        assertThat(paid.getPayer().getOpenid()).isEqualTo("oDiner0001");
        assertThat(paid.getSuccessTime()).endsWith("+08:00");
    }

    @Test
    void failedPaymentShowsPayerrorAndSendsNoNotification() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 100);

        pay.pay(MERCHANT.mchid(), outTradeNo, PayOutcome.PAYERROR);

        assertThat(query(outTradeNo).getTradeState())
                .isEqualTo(Transaction.TradeStateEnum.PAYERROR);
        assertThat(deliveriesOf(outTradeNo)).isEmpty();
    }

    @Test
    void unknownOrderIsOrderNotExist() {
        assertThatThrownBy(() -> query("NEVER_PLACED_1"))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> {
                            assertThat(e.getHttpStatusCode()).isEqualTo(404);
                            assertThat(e.getErrorCode()).isEqualTo("ORDER_NOT_EXIST");
                        });
    }

    @Test
    void closeClosesAnUnpaidOrderAndItCanNoLongerBePaid() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 300);
        CloseOrderRequest close = new CloseOrderRequest();
        close.setMchid(MERCHANT.mchid());
        close.setOutTradeNo(outTradeNo);

        sdk.jsapi().closeOrder(close);

        assertThat(query(outTradeNo).getTradeState()).isEqualTo(Transaction.TradeStateEnum.CLOSED);
        assertThatThrownBy(() -> pay.pay(MERCHANT.mchid(), outTradeNo))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refundSucceedsIsQueryableAndNotifiedButCannotExceedThePaidAmount() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 1000);
        pay.pay(MERCHANT.mchid(), outTradeNo);

        Refund refund =
                sdk.refunds().create(refundRequest(outTradeNo, outTradeNo + "R1", 600, 1000));

        assertThat(refund.getStatus()).isEqualTo(Status.PROCESSING);
        assertThat(refund.getAmount().getRefund()).isEqualTo(600);
        QueryByOutRefundNoRequest queryRequest = new QueryByOutRefundNoRequest();
        queryRequest.setOutRefundNo(outTradeNo + "R1");
        assertThat(sdk.refunds().queryByOutRefundNo(queryRequest).getStatus())
                .isEqualTo(Status.SUCCESS);
        String refundPath = "/refund/" + outTradeNo + "R1";
        await().until(() -> !receiver.receivedAt(refundPath).isEmpty());
        NotificationReceiver.Received note = receiver.receivedAt(refundPath).get(0);
        assertThat(note.body()).contains("\"event_type\":\"REFUND.SUCCESS\"");
        RefundNotification parsed = sdk.parse(note, RefundNotification.class);
        assertThat(parsed.getOutRefundNo()).isEqualTo(outTradeNo + "R1");
        assertThat(parsed.getRefundStatus()).isEqualTo(Status.SUCCESS);

        assertThatThrownBy(
                        () ->
                                sdk.refunds()
                                        .create(
                                                refundRequest(
                                                        outTradeNo, outTradeNo + "R2", 401, 1000)))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST"));
        assertThat(query(outTradeNo).getTradeState()).isEqualTo(Transaction.TradeStateEnum.REFUND);
    }

    @Test
    void singleItemRefundKeepsItsGoodsAndRefusesALineAboveUnitPriceTimesQuantity() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 5000);
        pay.pay(MERCHANT.mchid(), outTradeNo);

        CreateRequest tooMuch = refundRequest(outTradeNo, outTradeNo + "R1", 2000, 5000);
        tooMuch.setGoodsDetail(List.of(goods("SKU-BEEF-L", 1900, 1, 2000)));
        assertThatThrownBy(() -> sdk.refunds().create(tooMuch))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> {
                            assertThat(e.getErrorCode()).isEqualTo("PARAM_ERROR");
                            assertThat(e.getErrorMessage())
                                    .contains("goods_detail[0].refund_amount");
                        });
        CreateRequest overRefund = refundRequest(outTradeNo, outTradeNo + "R1", 1000, 5000);
        overRefund.setGoodsDetail(List.of(goods("SKU-BEEF-L", 1900, 1, 1900)));
        assertThatThrownBy(() -> sdk.refunds().create(overRefund))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("PARAM_ERROR"));

        CreateRequest oneItem = refundRequest(outTradeNo, outTradeNo + "R1", 1900, 5000);
        oneItem.setGoodsDetail(List.of(goods("SKU-BEEF-L", 1900, 1, 1900)));
        sdk.refunds().create(oneItem);

        RefundView kept =
                pay.refunds().stream()
                        .filter(r -> r.outRefundNo().equals(outTradeNo + "R1"))
                        .findFirst()
                        .orElseThrow();
        assertThat(kept.goods())
                .containsExactly(new RefundGoodsView("SKU-BEEF-L", "Beef noodles", 1900, 1, 1900));
    }

    private static com.wechat.pay.java.service.refund.model.GoodsDetail goods(
            String id, long unitPrice, int quantity, long amount) {
        var g = new com.wechat.pay.java.service.refund.model.GoodsDetail();
        g.setMerchantGoodsId(id);
        g.setGoodsName("Beef noodles");
        g.setUnitPrice(unitPrice);
        g.setRefundQuantity(quantity);
        g.setRefundAmount(amount);
        return g;
    }

    private static CreateRequest refundRequest(
            String outTradeNo, String outRefundNo, long refund, long total) {
        CreateRequest request = new CreateRequest();
        request.setOutTradeNo(outTradeNo);
        request.setOutRefundNo(outRefundNo);
        request.setNotifyUrl(receiver.url("/refund/" + outRefundNo));
        AmountReq amount = new AmountReq();
        amount.setRefund(refund);
        amount.setTotal(total);
        amount.setCurrency("CNY");
        request.setAmount(amount);
        return request;
    }

    @Test
    void requestSignedWithAnotherKeyIsRefusedWithSignError() {
        MerchantKeys impostor = MerchantKeys.generate("1900000109", APPID);
        PaySdk wrongKey =
                PaySdk.publicKey(
                        wechat.baseUrl(), MERCHANT, impostor.keys().getPrivate(), pay.platform());

        assertThatThrownBy(
                        () ->
                                wrongKey.jsapi()
                                        .prepayWithRequestPayment(
                                                prepayRequest(MERCHANT, newOrderNo(), 1)))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> {
                            assertThat(e.getHttpStatusCode()).isEqualTo(401);
                            assertThat(e.getErrorCode()).isEqualTo("SIGN_ERROR");
                        });
    }

    @Test
    void staleTimestampAndUnknownSerialAreRefusedWithSignError() throws Exception {
        String target = "/v3/pay/transactions/out-trade-no/ANY_ORDER_1?mchid=" + MERCHANT.mchid();
        long stale = Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond();

        HttpResponse<String> old = signedGet(target, stale, MERCHANT.serialNo());
        HttpResponse<String> wrongSerial =
                signedGet(target, Instant.now().getEpochSecond(), "0123ABCD");

        assertThat(old.statusCode()).isEqualTo(401);
        assertThat(old.body()).contains("\"code\":\"SIGN_ERROR\"").contains("timestamp");
        assertThat(wrongSerial.statusCode()).isEqualTo(401);
        assertThat(wrongSerial.body()).contains("\"code\":\"SIGN_ERROR\"").contains("serial_no");
        // A fresh, correctly signed request gets through authentication to the business answer.
        assertThat(
                        signedGet(target, Instant.now().getEpochSecond(), MERCHANT.serialNo())
                                .statusCode())
                .isEqualTo(404);
    }

    private static HttpResponse<String> signedGet(String target, long timestamp, String serial)
            throws Exception {
        String nonce = PayCrypto.nonce(32);
        String signature =
                PayCrypto.sign(
                        MERCHANT.keys().getPrivate(),
                        PayCrypto.requestMessage("GET", target, timestamp, nonce, ""));
        String authorization =
                String.format(
                        "WECHATPAY2-SHA256-RSA2048 mchid=\"%s\",nonce_str=\"%s\",signature=\"%s\",timestamp=\"%d\",serial_no=\"%s\"",
                        MERCHANT.mchid(), nonce, signature, timestamp, serial);
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(wechat.baseUrl() + target))
                                .header("Authorization", authorization)
                                .header("Accept", "application/json")
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void paymentNotificationArrivesAndTheSdkParserVerifiesAndDecryptsIt() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 2599);

        pay.pay(MERCHANT.mchid(), outTradeNo);

        await().until(() -> !receiver.receivedAt("/pay/" + outTradeNo).isEmpty());
        NotificationReceiver.Received note = receiver.receivedAt("/pay/" + outTradeNo).get(0);
        assertThat(note.body())
                .contains("\"event_type\":\"TRANSACTION.SUCCESS\"")
                .doesNotContain(outTradeNo);
        Transaction decrypted = sdk.parse(note, Transaction.class);
        assertThat(decrypted.getOutTradeNo()).isEqualTo(outTradeNo);
        assertThat(decrypted.getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
        assertThat(decrypted.getAmount().getTotal()).isEqualTo(2599);
        await().until(
                        () ->
                                deliveriesOf(outTradeNo).stream()
                                        .anyMatch(
                                                d -> d.outcome() == DeliveryOutcome.ACKNOWLEDGED));
    }

    @Test
    void forgedOrTamperedNotificationsFailTheSdkParser() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 100);
        pay.pay(MERCHANT.mchid(), outTradeNo);
        await().until(() -> receiver.receivedAt("/pay/" + outTradeNo).size() == 1);
        receiver.clear();

        pay.sendForgedNotification(MERCHANT.mchid(), outTradeNo, Forgery.BAD_SIGNATURE);
        pay.sendForgedNotification(MERCHANT.mchid(), outTradeNo, Forgery.TAMPERED_CIPHERTEXT);
        pay.sendForgedNotification(MERCHANT.mchid(), outTradeNo, Forgery.UNKNOWN_SERIAL);

        List<NotificationReceiver.Received> forged = receiver.receivedAt("/pay/" + outTradeNo);
        assertThat(forged).hasSize(3);
        assertThatThrownBy(() -> sdk.parse(forged.get(0), Transaction.class))
                .isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> sdk.parse(forged.get(1), Transaction.class))
                .isInstanceOf(RuntimeException.class)
                .isNotInstanceOf(ValidationException.class); // signature fine, decryption fails
        assertThatThrownBy(() -> sdk.parse(forged.get(2), Transaction.class))
                .isInstanceOf(ValidationException.class);
    }

    @Test
    void duplicatedNotificationsArriveAsCopiesOfTheSameEvent() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 100);
        pay.notifications().duplicate(3);

        pay.pay(MERCHANT.mchid(), outTradeNo);

        await().until(() -> receiver.receivedAt("/pay/" + outTradeNo).size() == 3);
        assertThat(
                        receiver.receivedAt("/pay/" + outTradeNo).stream()
                                .map(r -> sdk.parse(r, Transaction.class).getOutTradeNo()))
                .containsOnly(outTradeNo);
        assertThat(deliveriesOf(outTradeNo)).extracting(Delivery::copy).containsExactly(1, 2, 3);
        assertThat(deliveriesOf(outTradeNo).stream().map(Delivery::notificationId).distinct())
                .hasSize(1);
    }

    @Test
    void heldNotificationsAreReleasedInReverseOrder() {
        String first = newOrderNo();
        String second = newOrderNo();
        prepay(first, 100);
        prepay(second, 200);
        pay.notifications().hold();

        pay.pay(MERCHANT.mchid(), first);
        pay.pay(MERCHANT.mchid(), second);
        assertThat(pay.notifications().heldCount()).isEqualTo(2);
        pay.notifications().release(ReleaseOrder.REVERSED);

        List<String> paths = List.of("/pay/" + first, "/pay/" + second);
        await().until(() -> received(paths).size() == 2);
        assertThat(
                        received(paths).stream()
                                .map(r -> sdk.parse(r, Transaction.class).getOutTradeNo()))
                .containsExactly(second, first);
    }

    @Test
    void receiverAnswering500GetsRetriesUntilItAcknowledges() {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 100);
        receiver.answer(500);

        pay.pay(MERCHANT.mchid(), outTradeNo);

        await().until(() -> deliveriesOf(outTradeNo).size() >= 3);
        receiver.answer(204);
        await().until(
                        () ->
                                deliveriesOf(outTradeNo).stream()
                                        .anyMatch(
                                                d -> d.outcome() == DeliveryOutcome.ACKNOWLEDGED));
        List<Delivery> attempts = deliveriesOf(outTradeNo);
        assertThat(attempts.get(0).outcome()).isEqualTo(DeliveryOutcome.REJECTED);
        assertThat(attempts.get(0).httpStatus()).isEqualTo(500);
        assertThat(attempts).extracting(Delivery::attempt).startsWith(1, 2, 3);
        assertThat(attempts.get(attempts.size() - 1).outcome())
                .isEqualTo(DeliveryOutcome.ACKNOWLEDGED);
        await().during(Duration.ofMillis(200))
                .until(() -> deliveriesOf(outTradeNo).size() == attempts.size());
    }

    @Test
    void droppedAttemptsAreRetriedAndSuppressedNotificationsNeverSent() {
        String dropped = newOrderNo();
        String suppressed = newOrderNo();
        prepay(dropped, 100);
        prepay(suppressed, 100);

        pay.notifications().dropNextAttempts(2);
        pay.pay(MERCHANT.mchid(), dropped);
        await().until(
                        () ->
                                deliveriesOf(dropped).stream()
                                        .anyMatch(
                                                d -> d.outcome() == DeliveryOutcome.ACKNOWLEDGED));
        pay.notifications().suppressNext(1);
        pay.pay(MERCHANT.mchid(), suppressed);

        assertThat(deliveriesOf(dropped))
                .extracting(Delivery::outcome)
                .containsExactly(
                        DeliveryOutcome.DROPPED,
                        DeliveryOutcome.DROPPED,
                        DeliveryOutcome.ACKNOWLEDGED);
        assertThat(deliveriesOf(suppressed))
                .extracting(Delivery::outcome)
                .containsExactly(DeliveryOutcome.SUPPRESSED);
        assertThat(query(suppressed).getTradeState()).isEqualTo(Transaction.TradeStateEnum.SUCCESS);
    }

    @Test
    void publicKeyModeMerchantVerifiesResponsesAndNotificationsWithThePublicKeyId() {
        PaySdk pkSdk =
                PaySdk.publicKey(
                        wechat.baseUrl(),
                        PK_MERCHANT,
                        PK_MERCHANT.keys().getPrivate(),
                        pay.platform());
        String outTradeNo = newOrderNo();

        pkSdk.jsapi().prepayWithRequestPayment(prepayRequest(PK_MERCHANT, outTradeNo, 700));
        pay.pay(PK_MERCHANT.mchid(), outTradeNo);

        await().until(() -> !receiver.receivedAt("/pay/" + outTradeNo).isEmpty());
        NotificationReceiver.Received note = receiver.receivedAt("/pay/" + outTradeNo).get(0);
        assertThat(note.header("Wechatpay-Serial"))
                .isEqualTo(pay.platform().publicKeyId())
                .startsWith("PUB_KEY_ID_");
        assertThat(pkSdk.parse(note, Transaction.class).getOutTradeNo()).isEqualTo(outTradeNo);
    }

    @Test
    void tradeBillListsTodaysPaymentWithAVerifiableHash() throws Exception {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 1999);
        pay.pay(MERCHANT.mchid(), outTradeNo);
        GetTradeBillRequest request = new GetTradeBillRequest();
        request.setBillDate(LocalDate.now(WeChatTime.CHINA).toString());

        DigestBillEntity bill = sdk.bills().getTradeBill(request);
        String text;
        try (InputStream in = bill.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(bill.verifyHash()).isTrue();
        assertThat(text.lines().findFirst()).hasValue(TradeBill.HEADER);
        assertThat(text).contains("`" + outTradeNo + ",").contains("`SUCCESS,").contains("`19.99,");
    }

    @Test
    void gzippedTradeBillIsHashedBeforeCompressionAsTheSdkChecksIt() throws Exception {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 2050);
        pay.pay(MERCHANT.mchid(), outTradeNo);
        GetTradeBillRequest request = new GetTradeBillRequest();
        request.setBillDate(LocalDate.now(WeChatTime.CHINA).toString());
        request.setTarType(com.wechat.pay.java.service.billdownload.model.TarType.GZIP);

        DigestBillEntity bill = sdk.bills().getTradeBill(request);
        String text;
        try (InputStream in = bill.getInputStream()) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(bill.verifyHash()).isTrue();
        assertThat(text).contains("`" + outTradeNo + ",").contains("`20.50,");
    }

    @Test
    void serviceProviderPrepaysAndQueriesForItsSubMerchant() {
        pay.registerSubMerchant(MERCHANT.mchid(), "1900000901");
        var partner =
                new com.wechat.pay.java.service.partnerpayments.jsapi.JsapiService.Builder()
                        .httpClient(sdk.http)
                        .build();
        var request = new com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayRequest();
        String outTradeNo = newOrderNo();
        request.setSpAppid(APPID);
        request.setSpMchid(MERCHANT.mchid());
        request.setSubMchid("1900000901");
        request.setDescription("Chain store 12 - set meal");
        request.setOutTradeNo(outTradeNo);
        request.setNotifyUrl(receiver.url("/pay/" + outTradeNo));
        var amount = new com.wechat.pay.java.service.partnerpayments.jsapi.model.Amount();
        amount.setTotal(4200);
        request.setAmount(amount);
        var payer = new com.wechat.pay.java.service.partnerpayments.jsapi.model.Payer();
        payer.setSpOpenid("oDiner0009");
        request.setPayer(payer);

        assertThat(partner.prepay(request).getPrepayId()).startsWith("wx");
        pay.pay(MERCHANT.mchid(), "1900000901", outTradeNo, PayOutcome.SUCCESS);

        var query =
                new com.wechat.pay.java.service.partnerpayments.jsapi.model
                        .QueryOrderByOutTradeNoRequest();
        query.setSpMchid(MERCHANT.mchid());
        query.setSubMchid("1900000901");
        query.setOutTradeNo(outTradeNo);
        var paid = partner.queryOrderByOutTradeNo(query);
        assertThat(paid.getSubMchid()).isEqualTo("1900000901");
        assertThat(paid.getPayer().getSpOpenid()).isEqualTo("oDiner0009");
        assertThat(paid.getTradeState().name()).isEqualTo("SUCCESS");
        request.setSubMchid("1900000999");
        assertThatThrownBy(() -> partner.prepay(request))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST"));
    }

    @Test
    void serviceProviderClosesRefundsAndIsNotifiedInThePartnerShape() {
        String sub = "1900000902";
        pay.registerSubMerchant(MERCHANT.mchid(), sub);
        var partner =
                new com.wechat.pay.java.service.partnerpayments.jsapi.JsapiService.Builder()
                        .httpClient(sdk.http)
                        .build();
        String paidNo = newOrderNo();
        String closedNo = newOrderNo();
        partner.prepay(partnerPrepay(sub, paidNo, 3300));
        partner.prepay(partnerPrepay(sub, closedNo, 1200));

        var close = new com.wechat.pay.java.service.partnerpayments.jsapi.model.CloseOrderRequest();
        close.setSpMchid(MERCHANT.mchid());
        close.setSubMchid(sub);
        close.setOutTradeNo(closedNo);
        partner.closeOrder(close);
        assertThat(pay.trade(MERCHANT.mchid(), sub, closedNo).orElseThrow().state())
                .isEqualTo(TradeState.CLOSED);

        pay.pay(MERCHANT.mchid(), sub, paidNo, PayOutcome.SUCCESS);
        await().until(() -> !receiver.receivedAt("/pay/" + paidNo).isEmpty());
        var paid =
                sdk.parse(
                        receiver.receivedAt("/pay/" + paidNo).get(0),
                        com.wechat.pay.java.service.partnerpayments.jsapi.model.Transaction.class);
        assertThat(paid.getSpMchid()).isEqualTo(MERCHANT.mchid());
        assertThat(paid.getSubMchid()).isEqualTo(sub);
        assertThat(paid.getSpAppid()).isEqualTo(APPID);
        assertThat(paid.getSubAppid()).isEqualTo("wx0000000000000902");
        assertThat(paid.getPayer().getSubOpenid()).isEqualTo("oSubDiner0902");
        assertThat(paid.getTradeState().name()).isEqualTo("SUCCESS");

        CreateRequest refund = refundRequest(paidNo, paidNo + "R1", 3300, 3300);
        refund.setSubMchid(sub);
        assertThat(sdk.refunds().create(refund).getStatus()).isEqualTo(Status.PROCESSING);
        QueryByOutRefundNoRequest refundQuery = new QueryByOutRefundNoRequest();
        refundQuery.setSubMchid(sub);
        refundQuery.setOutRefundNo(paidNo + "R1");
        assertThat(sdk.refunds().queryByOutRefundNo(refundQuery).getStatus())
                .isEqualTo(Status.SUCCESS);
        String refundPath = "/refund/" + paidNo + "R1";
        await().until(() -> !receiver.receivedAt(refundPath).isEmpty());
        var refundNote = sdk.parse(receiver.receivedAt(refundPath).get(0), java.util.Map.class);
        assertThat(refundNote)
                .containsEntry("sp_mchid", MERCHANT.mchid())
                .containsEntry("sub_mchid", sub)
                .containsEntry("refund_status", "SUCCESS");

        refundQuery.setSubMchid("1900000998");
        assertThatThrownBy(() -> sdk.refunds().queryByOutRefundNo(refundQuery))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> {
                            assertThat(e.getHttpStatusCode()).isEqualTo(400);
                            assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST");
                            assertThat(e.getErrorMessage())
                                    .contains("受理关系不存在")
                                    .contains("1900000998");
                        });
        close.setSubMchid("1900000998");
        assertThatThrownBy(() -> partner.closeOrder(close))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("INVALID_REQUEST"));
        var otherApp = partnerPrepay(sub, newOrderNo(), 100);
        otherApp.setSpAppid("wx0000000000000999");
        assertThatThrownBy(() -> partner.prepay(otherApp))
                .isInstanceOfSatisfying(
                        ServiceException.class,
                        e -> assertThat(e.getErrorCode()).isEqualTo("APPID_MCHID_NOT_MATCH"));
    }

    private static com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayRequest
            partnerPrepay(String sub, String outTradeNo, int fen) {
        var request = new com.wechat.pay.java.service.partnerpayments.jsapi.model.PrepayRequest();
        request.setSpAppid(APPID);
        request.setSpMchid(MERCHANT.mchid());
        request.setSubAppid("wx0000000000000902");
        request.setSubMchid(sub);
        request.setDescription("Chain store 12 - noodles");
        request.setOutTradeNo(outTradeNo);
        request.setNotifyUrl(receiver.url("/pay/" + outTradeNo));
        var amount = new com.wechat.pay.java.service.partnerpayments.jsapi.model.Amount();
        amount.setTotal(fen);
        request.setAmount(amount);
        var payer = new com.wechat.pay.java.service.partnerpayments.jsapi.model.Payer();
        payer.setSubOpenid("oSubDiner0902");
        request.setPayer(payer);
        return request;
    }

    @Test
    void controlApiPaysOrdersAndListsDeliveriesForLocalMode() throws Exception {
        String outTradeNo = newOrderNo();
        prepay(outTradeNo, 100);
        HttpClient http = HttpClient.newHttpClient();

        HttpResponse<String> paid =
                http.send(
                        HttpRequest.newBuilder(
                                        URI.create(wechat.baseUrl() + "/__sim/pay/" + outTradeNo))
                                .POST(
                                        HttpRequest.BodyPublishers.ofString(
                                                "{\"mchid\":\"" + MERCHANT.mchid() + "\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        await().until(() -> !deliveriesOf(outTradeNo).isEmpty());
        String deliveries =
                http.send(
                                HttpRequest.newBuilder(
                                                URI.create(wechat.baseUrl() + "/__sim/deliveries"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
        String platform =
                http.send(
                                HttpRequest.newBuilder(
                                                URI.create(wechat.baseUrl() + "/__sim/platform"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();

        assertThat(paid.statusCode()).isEqualTo(200);
        assertThat(paid.body()).contains("\"state\":\"SUCCESS\"");
        assertThat(deliveries).contains("\"subject\":\"" + outTradeNo + "\"");
        assertThat(platform)
                .contains(pay.platform().certificateSerial())
                .contains(pay.platform().publicKeyId())
                .contains("-----BEGIN CERTIFICATE-----");
    }
}
