package io.scanorder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The calls a mini-program and a phone make against the local platform, over HTTP: the WeChat
 * simulator's control API (login codes, paying) and the order service's diner REST API. Every
 * answer is kept whole ({@link Answer}) so callers can check refusals as well as successes.
 */
public final class DinerApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final String api;
    private final String simulator;
    private final String subMchId;
    private final String clientAddress;

    /**
     * One HTTP answer: status, body text, the body as JSON (null when it is not JSON) and the
     * {@code Retry-After} seconds (0 when absent).
     */
    public record Answer(
            String request, int status, String body, JsonNode json, long retryAfterSeconds) {
        /** The JSON body, or a failure naming the request when the status is not {@code want}. */
        public JsonNode expect(int want) {
            if (status != want) {
                throw new IllegalStateException(
                        request
                                + " answered "
                                + status
                                + " (expected "
                                + want
                                + "): "
                                + clip(body));
            }
            return json;
        }

        public String text(String field) {
            return json == null ? null : json.path(field).asText(null);
        }
    }

    public DinerApi(LocalPlatform platform) {
        this(
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
                platform.dinerApiBaseUrl(),
                platform.endpoints().get("WeChat simulator"),
                // Service-provider mode: the simulator keeps the store's trades under its
                // sub-merchant.
                LocalPlatform.subMchId(platform.examples()),
                null);
    }

    private DinerApi(
            HttpClient http, String api, String simulator, String subMchId, String clientAddress) {
        this.http = http;
        this.api = api;
        this.simulator = simulator;
        this.subMchId = subMchId;
        this.clientAddress = clientAddress;
    }

    /**
     * The same API seen from another phone: every request carries {@code X-Forwarded-For:
     * clientAddress} (the order service trusts it from loopback), so per-IP rate limits count that
     * address. Shares this instance's HTTP client.
     */
    public DinerApi behind(String clientAddress) {
        return new DinerApi(http, api, simulator, subMchId, clientAddress);
    }

    /** Plays WeChat's {@code wx.login()} for {@code openid}: a fresh code from the simulator. */
    String loginCode(String openid) {
        ObjectNode body = JSON.createObjectNode();
        body.put("appid", LocalPlatform.DEMO_APP_ID);
        body.put("openid", openid);
        return post(simulator + "/__sim/login-codes", null, body, null)
                .expect(200)
                .path("code")
                .asText();
    }

    /**
     * Logs a diner in at a table (code2session through the simulator); returns the bearer token.
     */
    public String login(String openid, String scene) {
        ObjectNode body = JSON.createObjectNode();
        body.put("code", loginCode(openid));
        if (scene != null) {
            body.put("tableScene", scene);
        }
        return post(api + "/sessions", null, body, null).expect(201).path("token").asText();
    }

    Answer table(String scene) {
        return get(api + "/tables/" + encode(scene), null);
    }

    Answer cart(String scene, String token) {
        return get(api + "/tables/" + encode(scene) + "/cart", token);
    }

    Answer addToCart(String scene, String token, String sku, int quantity, String nickname) {
        ObjectNode body = JSON.createObjectNode();
        body.put("sku", sku);
        body.put("quantity", quantity);
        body.put("nickname", nickname);
        return post(api + "/tables/" + encode(scene) + "/cart/lines", token, body, null);
    }

    /** Orders the table's cart at {@code cartVersion}. */
    Answer orderCart(String scene, String token, long cartVersion, int partySize, String key) {
        ObjectNode body = JSON.createObjectNode();
        body.put("tableScene", scene);
        body.put("cartVersion", cartVersion);
        body.put("partySize", partySize);
        return post(api + "/orders", token, body, key);
    }

    /** Orders {@code quantity} of one SKU directly, without the cart. */
    public Answer orderLine(String scene, String token, String sku, int quantity, String key) {
        ObjectNode body = JSON.createObjectNode();
        body.put("tableScene", scene);
        ObjectNode line = body.putArray("lines").addObject();
        line.put("skuCode", sku);
        line.put("quantity", quantity);
        return post(api + "/orders", token, body, key);
    }

    Answer order(String orderId, String token) {
        return get(api + "/orders/" + orderId, token);
    }

    /** Starts WeChat Pay for the order (prepay through the order and payment services). */
    public Answer startPayment(String orderId, String token) {
        return post(api + "/orders/" + orderId + "/payment", token, null, null);
    }

    /** As {@link #startPayment(String, String)} from a mini program sending its install id. */
    Answer startPayment(String orderId, String token, String deviceFingerprint) {
        HttpRequest.Builder b =
                request(api + "/orders/" + orderId + "/payment", token)
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .header("X-Device-Fingerprint", deviceFingerprint);
        return send("POST " + api + "/orders/" + orderId + "/payment", b.build());
    }

    private HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (clientAddress != null) {
            b.header("X-Forwarded-For", clientAddress);
        }
        return b;
    }

    /** Plays the payer in WeChat: the simulator marks the trade paid and notifies the merchant. */
    public Answer payerPays(String outTradeNo) {
        ObjectNode body = JSON.createObjectNode();
        body.put("mchid", LocalPlatform.DEMO_MCH_ID);
        if (subMchId != null) {
            body.put("sub_mchid", subMchId);
        }
        return post(simulator + "/__sim/pay/" + encode(outTradeNo), null, body, null);
    }

    /** Sets the simulator's notification delivery controls ({@code POST /__sim/notifications}). */
    Answer notificationControls(ObjectNode controls) {
        return post(simulator + "/__sim/notifications", null, controls, null);
    }

    /**
     * Has the simulator send a forged notification for the trade; the answer says what the merchant
     * answered.
     */
    Answer forgedNotification(String outTradeNo, String forgery) {
        ObjectNode body = JSON.createObjectNode();
        body.put("mchid", LocalPlatform.DEMO_MCH_ID);
        if (subMchId != null) {
            body.put("sub_mchid", subMchId);
        }
        body.put("forgery", forgery);
        return post(
                simulator + "/__sim/forged-notifications/" + encode(outTradeNo), null, body, null);
    }

    /** Every notification delivery attempt the simulator made. */
    Answer deliveries() {
        return get(simulator + "/__sim/deliveries", null);
    }

    Answer get(String url, String token) {
        HttpRequest.Builder b = request(url, token).GET();
        return send("GET " + url, b.build());
    }

    Answer post(String url, String token, JsonNode body, String idempotencyKey) {
        HttpRequest.Builder b =
                request(url, token)
                        .POST(
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(body.toString()));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        return send("POST " + url, b.build());
    }

    private Answer send(String what, HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = r.body().isBlank() ? null : JSON.readTree(r.body());
            } catch (IOException e) {
                // not JSON: the caller sees the text
            }
            long retryAfter =
                    r.headers()
                            .firstValue("Retry-After")
                            .filter(v -> v.matches("\\d{1,6}"))
                            .map(Long::parseLong)
                            .orElse(0L);
            return new Answer(what, r.statusCode(), r.body(), json, retryAfter);
        } catch (IOException e) {
            throw new UncheckedIOException(what + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + " interrupted", e);
        }
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String clip(String s) {
        return s == null ? "" : s.length() > 400 ? s.substring(0, 400) + "..." : s;
    }
}
