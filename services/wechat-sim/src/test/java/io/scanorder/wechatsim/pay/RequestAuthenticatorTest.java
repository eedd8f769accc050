package io.scanorder.wechatsim.pay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.wechatsim.MutableClock;
import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.pay.crypto.PayCrypto;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestAuthenticatorTest {
    private static final MerchantKeys MERCHANT =
            MerchantKeys.generate("1900000109", "wx5f3c1b2a9d8e7f60");
    private static final String TARGET = "/v3/pay/transactions/jsapi";
    private static final String BODY = "{\"mchid\":\"1900000109\"}";

    private final MutableClock clock = new MutableClock(Instant.parse("2024-05-20T05:29:35Z"));
    private final MerchantRegistry registry = new MerchantRegistry();
    private final RequestAuthenticator authenticator = new RequestAuthenticator(registry, clock);

    RequestAuthenticatorTest() {
        registry.register(
                new Merchant(
                        MERCHANT.mchid(),
                        MERCHANT.appid(),
                        MERCHANT.keys().getPublic(),
                        MERCHANT.serialNo(),
                        MERCHANT.apiV3Key(),
                        VerificationMode.PLATFORM_CERTIFICATE));
    }

    private SimRequest request(
            String mchid, String serial, long timestamp, String signedBody, String sentBody) {
        String nonce = PayCrypto.nonce(32);
        String signature =
                PayCrypto.sign(
                        MERCHANT.keys().getPrivate(),
                        PayCrypto.requestMessage("POST", TARGET, timestamp, nonce, signedBody));
        String authorization =
                "WECHATPAY2-SHA256-RSA2048 mchid=\""
                        + mchid
                        + "\",nonce_str=\""
                        + nonce
                        + "\",signature=\""
                        + signature
                        + "\",timestamp=\""
                        + timestamp
                        + "\",serial_no=\""
                        + serial
                        + "\"";
        return new SimRequest(
                "POST",
                TARGET,
                TARGET,
                Map.of(),
                Map.of("Authorization", List.of(authorization)),
                sentBody.getBytes(StandardCharsets.UTF_8));
    }

    private long now() {
        return clock.instant().getEpochSecond();
    }

    @Test
    void correctlySignedRequestAuthenticatesTheMerchant() {
        Merchant merchant =
                authenticator.authenticate(
                        request(MERCHANT.mchid(), MERCHANT.serialNo(), now(), BODY, BODY));

        assertThat(merchant.mchid()).isEqualTo(MERCHANT.mchid());
    }

    @Test
    void bodyChangedAfterSigningIsSignError() {
        assertSignError(
                request(MERCHANT.mchid(), MERCHANT.serialNo(), now(), BODY, BODY + " "),
                "sign not match");
    }

    @Test
    void timestampMoreThanFiveMinutesOffIsSignError() {
        long stale = now() - Duration.ofMinutes(5).plusSeconds(1).toSeconds();

        assertSignError(
                request(MERCHANT.mchid(), MERCHANT.serialNo(), stale, BODY, BODY), "301s away");
        assertThat(
                        authenticator.authenticate(
                                request(
                                        MERCHANT.mchid(),
                                        MERCHANT.serialNo(),
                                        now() - 299,
                                        BODY,
                                        BODY)))
                .isNotNull();
    }

    @Test
    void unknownSerialIsSignErrorAndUnknownMerchantIsMchNotExists() {
        assertSignError(request(MERCHANT.mchid(), "ABCDEF", now(), BODY, BODY), "serial_no ABCDEF");
        assertThatThrownBy(
                        () ->
                                authenticator.authenticate(
                                        request(
                                                "1234567890",
                                                MERCHANT.serialNo(),
                                                now(),
                                                BODY,
                                                BODY)))
                .isInstanceOfSatisfying(
                        PayApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.code()).isEqualTo("MCH_NOT_EXISTS");
                        });
    }

    @Test
    void missingOrForeignAuthorizationIsSignError() {
        SimRequest none = new SimRequest("GET", TARGET, Map.of(), Map.of(), new byte[0]);
        SimRequest basic =
                new SimRequest(
                        "GET",
                        TARGET,
                        Map.of(),
                        Map.of("Authorization", List.of("Basic eDp5")),
                        new byte[0]);

        assertSignError(none, "missing");
        assertSignError(basic, "'Basic'");
    }

    private void assertSignError(SimRequest request, String detail) {
        assertThatThrownBy(() -> authenticator.authenticate(request))
                .isInstanceOfSatisfying(
                        PayApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(401);
                            assertThat(e.code()).isEqualTo("SIGN_ERROR");
                            assertThat(e.getMessage()).contains(detail);
                        });
    }
}
