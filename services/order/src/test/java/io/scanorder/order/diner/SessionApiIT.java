package io.scanorder.order.diner;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.scanorder.order.EmbeddedInfrastructure;
import io.scanorder.testkit.EmbeddedRedis;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Diner login against the WeChat simulator, Redis sessions, rate limits and degraded mode. */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedInfrastructure.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = WeChatSimulatorResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SessionApiIT {
    private static final String APP_ID = WeChatSimulatorResource.APP_ID;
    private static final AtomicInteger OPENIDS = new AtomicInteger();

    /** A client address of its own per test, so per-IP limits of one test never hit another. */
    private static String freshIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(1, 255) + "." + r.nextInt(1, 255) + "." + r.nextInt(1, 255);
    }

    private static String freshOpenid() {
        return "oDiner" + System.nanoTime() + "x" + OPENIDS.incrementAndGet();
    }

    private static ValidatableResponse login(String ip, Map<String, Object> body) {
        return given().header("X-Forwarded-For", ip)
                .contentType(ContentType.JSON)
                .body(body)
                .when()
                .post("/api/v1/sessions")
                .then();
    }

    private static String code(String openid) {
        return WeChatSimulatorResource.wechat().issueLoginCode(APP_ID, openid);
    }

    @Test
    @Order(1)
    void validCodeGivesAnOpaqueTokenThatAuthenticatesTheDiner() {
        String openid = freshOpenid();
        String ip = freshIp();

        String token =
                login(ip, Map.of("code", code(openid), "tableScene", "75100010003x9AbC"))
                        .statusCode(201)
                        .body("openid", equalTo(openid))
                        .body("tableScene", equalTo("75100010003x9AbC"))
                        .body("degraded", equalTo(false))
                        .body("token", matchesPattern("[A-Za-z0-9_-]{43}"))
                        .body(not(containsString("session_key")))
                        .body(not(containsString("sessionKey")))
                        .extract()
                        .path("token");

        // The session key WeChat issued stays on the server.
        String sessionKey =
                WeChatSimulatorResource.wechat().sessionKey(APP_ID, openid).orElseThrow();
        given().header("Authorization", "Bearer " + token)
                .when()
                .get("/api/v1/sessions/me")
                .then()
                .statusCode(200)
                .body("openid", equalTo(openid))
                .body("tableScene", equalTo("75100010003x9AbC"))
                .body("degraded", equalTo(false))
                .body(not(containsString(sessionKey)));
    }

    @Test
    @Order(2)
    void reusedCodeIsRefusedAsUsed() {
        String ip = freshIp();
        String code = code(freshOpenid());
        login(ip, Map.of("code", code)).statusCode(201);

        login(ip, Map.of("code", code))
                .statusCode(401)
                .body("reason", equalTo("LOGIN_CODE_USED"))
                .body("message", containsString("code"));
    }

    @Test
    @Order(3)
    void unknownCodeIsRefusedAsInvalid() {
        login(freshIp(), Map.of("code", "0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P"))
                .statusCode(401)
                .body("reason", equalTo("LOGIN_CODE_INVALID"));
    }

    @Test
    @Order(4)
    void missingCodeIsRefusedNamingTheField() {
        login(freshIp(), Map.of("tableScene", "x"))
                .statusCode(400)
                .body("reason", equalTo("LOGIN_CODE_MISSING"))
                .body("message", containsString("code"));
    }

    @Test
    @Order(5)
    void unknownOrMissingTokenIsUnauthorized() {
        given().header("Authorization", "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
                .when()
                .get("/api/v1/sessions/me")
                .then()
                .statusCode(401)
                .body("reason", equalTo("SESSION_INVALID"));
        given().when()
                .get("/api/v1/sessions/me")
                .then()
                .statusCode(401)
                .body("reason", equalTo("SESSION_INVALID"));
    }

    @Test
    @Order(6)
    void loginsPastThePerIpLimitGet429WithRetryAfter() {
        // %test allows 5 logins per IP per minute.
        String ip = freshIp();
        for (int i = 0; i < 5; i++) {
            login(ip, Map.of("code", code(freshOpenid()))).statusCode(201);
        }

        String retryAfter =
                login(ip, Map.of("code", code(freshOpenid())))
                        .statusCode(429)
                        .body("reason", equalTo("RATE_LIMITED"))
                        .body("message", containsString(ip))
                        .extract()
                        .header("Retry-After");
        assertThat(Integer.parseInt(retryAfter)).isBetween(1, 60);

        // Another address is not affected.
        login(freshIp(), Map.of("code", code(freshOpenid()))).statusCode(201);
    }

    @Test
    @Order(7)
    void loginsPastThePerOpenidLimitGet429() {
        String openid = freshOpenid();
        for (int i = 0; i < 5; i++) {
            login(freshIp(), Map.of("code", code(openid))).statusCode(201);
        }

        login(freshIp(), Map.of("code", code(openid)))
                .statusCode(429)
                .body("reason", equalTo("RATE_LIMITED"))
                .header("Retry-After", matchesPattern("[1-9][0-9]*"));
    }

    @Test
    @Order(8)
    void withRedisDownLoginStillWorksWithAStatelessTokenAndTheServiceIsFlaggedDegraded() {
        EmbeddedRedis redis = EmbeddedRedis.shared();
        String openid = freshOpenid();
        redis.stop();
        try {
            String token =
                    login(freshIp(), Map.of("code", code(openid)))
                            .statusCode(201)
                            .body("openid", equalTo(openid))
                            .body("degraded", equalTo(true))
                            .body("token", matchesPattern("st1\\..+"))
                            .extract()
                            .path("token");

            given().header("Authorization", "Bearer " + token)
                    .when()
                    .get("/api/v1/sessions/me")
                    .then()
                    .statusCode(200)
                    .body("openid", equalTo(openid))
                    .body("degraded", equalTo(true));

            given().when()
                    .get("/q/metrics")
                    .then()
                    .statusCode(200)
                    .body(containsString("scanorder_redis_degraded 1.0"));
        } finally {
            redis.start();
        }

        // Once Redis is back, logins get opaque Redis sessions again and the flag clears.
        login(freshIp(), Map.of("code", code(freshOpenid())))
                .statusCode(201)
                .body("degraded", equalTo(false));
        given().when()
                .get("/q/metrics")
                .then()
                .body(containsString("scanorder_redis_degraded 0.0"));
    }
}
