package io.scanorder.order.payment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.order.diner.DinerSessions;
import io.scanorder.order.diner.WeChatLogin;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.OrderFixture;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import io.scanorder.proto.payment.v1.PrepayRequest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /api/v1/orders/{orderId}/payment against the order database and a gRPC PaymentService on a
 * loopback port ({@link RecordingPaymentService}).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RecordingPaymentService.class, restrictToAnnotatedClass = true)
class OrderPaymentApiIT {
    @Inject DataSource dataSource;
    @Inject OrderTransitions transitions;
    @Inject DinerSessions sessions;

    private OrderFixture fixture;
    private OrderFixture.Store store;
    private String openid;
    private String token;

    @BeforeEach
    void setUp() throws Exception {
        fixture = new OrderFixture(dataSource, transitions);
        store = fixture.store(null);
        openid = "oPayer" + System.nanoTime();
        token = sessions.open(new WeChatLogin.Login(openid, null, "session-key"), null).token();
    }

    @AfterEach
    void paymentsBackUp() {
        RecordingPaymentService.running().listen();
    }

    @Test
    void dinerGetsRequestPaymentArgumentsForTheTotalInTheDatabase() throws Exception {
        UUID id = fixture.pendingOrder(store);
        String outTradeNo = TradeNumbers.orderKey(id) + "_1";

        given().header("Authorization", "Bearer " + token)
                .when()
                .post("/api/v1/orders/" + id + "/payment")
                .then()
                .statusCode(200)
                .body("orderId", equalTo(id.toString()))
                .body("outTradeNo", equalTo(outTradeNo))
                .body("amountFen", equalTo(3800))
                .body("timeStamp", equalTo("1764120000"))
                .body("nonceStr", equalTo("n" + outTradeNo))
                .body("package", containsString("prepay_id="))
                .body("signType", equalTo("RSA"))
                .body("paySign", equalTo("sig-3800"));

        PrepayRequest sent = RecordingPaymentService.running().prepaysOf(id.toString()).get(0);
        assertThat(sent.getAmountFen()).isEqualTo(3800);
        assertThat(sent.getPayerOpenid()).isEqualTo(openid);
        assertThat(sent.getStoreCode()).isEqualTo(store.storeCode());
        assertThat(sent.getOutTradeNo()).isEqualTo(outTradeNo);
        assertThat(sent.getDescription()).contains("Store " + store.storeCode());
        // The store uses the default 15-minute timeout: WeChat stops taking money with the order.
        Instant expires = Instant.ofEpochSecond(sent.getExpiresAt().getSeconds());
        assertThat(expires)
                .isBetween(
                        Instant.now().plus(Duration.ofMinutes(14)),
                        Instant.now().plus(Duration.ofMinutes(16)));
    }

    @Test
    void deviceFingerprintHeaderIsPassedToPrepay() throws Exception {
        UUID id = fixture.pendingOrder(store);
        UUID withoutHeader = fixture.pendingOrder(store);

        pay(id, "a1B2-c3D4_e5F6g7H8").then().statusCode(200);
        given().header("Authorization", "Bearer " + token)
                .when()
                .post("/api/v1/orders/" + withoutHeader + "/payment")
                .then()
                .statusCode(200);

        assertThat(RecordingPaymentService.running().prepaysOf(id.toString()).get(0))
                .extracting(PrepayRequest::getDeviceFingerprint)
                .isEqualTo("a1B2-c3D4_e5F6g7H8");
        assertThat(RecordingPaymentService.running().prepaysOf(withoutHeader.toString()).get(0))
                .extracting(PrepayRequest::getDeviceFingerprint)
                .isEqualTo("");
    }

    @Test
    void malformedDeviceFingerprintIs400AndNoPrepayIsSent() throws Exception {
        UUID id = fixture.pendingOrder(store);

        for (String bad :
                new String[] {"short", "x".repeat(65), "has space 123", "semi;colon-1234"}) {
            pay(id, bad)
                    .then()
                    .statusCode(400)
                    .body("reason", equalTo("DEVICE_FINGERPRINT_INVALID"))
                    .body(
                            "message",
                            containsString("X-Device-Fingerprint: must be 8-64 characters"))
                    .body("message", containsString(bad.length() + " characters"));
        }
        assertThat(RecordingPaymentService.running().prepaysOf(id.toString())).isEmpty();
    }

    @Test
    void deviceOverThePaymentServicesLimitGets429WithRetryAfter() throws Exception {
        UUID id = fixture.pendingOrder(store);
        String device = "dev" + System.nanoTime();
        // The payment service's refusal over its per-device limit, word for word.
        RecordingPaymentService.running()
                .refusePrepaysFrom(
                        device,
                        Status.RESOURCE_EXHAUSTED.withDescription(
                                "too many payments started by this device: 20 within 10 min"
                                        + " (limit 20); retry after 37 s"));

        pay(id, device)
                .then()
                .statusCode(429)
                .header("Retry-After", "37")
                .body("reason", equalTo("PAYMENT_RATE_LIMITED"))
                .body("message", containsString("too many payments started by this device"))
                .body("message", containsString("order " + id + " is kept"));
    }

    private io.restassured.response.Response pay(UUID id, String fingerprint) {
        return given().header("Authorization", "Bearer " + token)
                .header("X-Device-Fingerprint", fingerprint)
                .when()
                .post("/api/v1/orders/" + id + "/payment");
    }

    @Test
    void aClosedPaymentAttemptIsFollowedByTheNextOne() throws Exception {
        UUID id = fixture.pendingOrder(store);
        RecordingPaymentService.running().close(TradeNumbers.outTradeNo(id, 1));

        given().header("Authorization", "Bearer " + token)
                .when()
                .post("/api/v1/orders/" + id + "/payment")
                .then()
                .statusCode(200)
                .body("outTradeNo", equalTo(TradeNumbers.outTradeNo(id, 2)));
        assertThat(RecordingPaymentService.running().prepaysOf(id.toString())).hasSize(2);
    }

    @Test
    void paymentServiceDownGives503SayingWhatToDo() throws Exception {
        UUID id = fixture.pendingOrder(store);
        RecordingPaymentService.running().stop();

        given().header("Authorization", "Bearer " + token)
                .when()
                .post("/api/v1/orders/" + id + "/payment")
                .then()
                .statusCode(503)
                .header("Retry-After", "5")
                .body("message", containsString("DEADLINE_EXCEEDED"))
                .body("reason", equalTo("PAYMENT_SERVICE_UNAVAILABLE"))
                .body("message", containsString("127.0.0.1:"))
                .body("message", containsString("try paying again"));

        RecordingPaymentService.running().listen();
        given().header("Authorization", "Bearer " + token)
                .when()
                .post("/api/v1/orders/" + id + "/payment")
                .then()
                .statusCode(200);
    }

    @Test
    void ordersThatCannotBePaidAreRefusedWithTheReason() throws Exception {
        UUID closed = fixture.pendingOrder(store);
        transitions.move(closed, OrderState.CLOSED, Actor.PAYMENT_TIMEOUT, "timeout");
        UUID paid = fixture.orderIn(store, OrderState.PAID);
        // Seconds before its deadline: too late to pay, too early for the timeout job to close it.
        UUID expired =
                fixture.pendingOrder(
                        store,
                        Instant.now().minus(Duration.ofMinutes(15)),
                        Instant.now().plusSeconds(4));

        pay(closed, 409, "ORDER_NOT_PAYABLE").body("message", containsString("not paid in time"));
        pay(paid, 409, "ORDER_ALREADY_PAID");
        pay(expired, 409, "ORDER_PAYMENT_EXPIRED");
        pay(UUID.randomUUID(), 404, "ORDER_NOT_FOUND");
        given().header("Authorization", "Bearer " + token)
                .when()
                .post("/api/v1/orders/not-an-id/payment")
                .then()
                .statusCode(404)
                .body("message", containsString("orderId"));
        assertThat(RecordingPaymentService.running().prepaysOf(closed.toString())).isEmpty();
        assertThat(RecordingPaymentService.running().prepaysOf(paid.toString())).isEmpty();
    }

    @Test
    void payingNeedsADinerSession() throws Exception {
        UUID id = fixture.pendingOrder(store);

        given().when()
                .post("/api/v1/orders/" + id + "/payment")
                .then()
                .statusCode(401)
                .body("reason", equalTo("SESSION_INVALID"));
        given().header("Authorization", "Bearer forged")
                .when()
                .post("/api/v1/orders/" + id + "/payment")
                .then()
                .statusCode(401);
        assertThat(RecordingPaymentService.running().prepaysOf(id.toString())).isEmpty();
    }

    private io.restassured.response.ValidatableResponse pay(UUID id, int status, String reason) {
        return given().header("Authorization", "Bearer " + token)
                .when()
                .post("/api/v1/orders/" + id + "/payment")
                .then()
                .statusCode(status)
                .body("reason", equalTo(reason));
    }
}
