package io.scanorder.wechatsim.pay.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.wechatsim.pay.Merchant;
import io.scanorder.wechatsim.pay.ResponseSigner;
import io.scanorder.wechatsim.pay.WeChatTime;
import io.scanorder.wechatsim.pay.crypto.AesGcm;
import io.scanorder.wechatsim.pay.crypto.PayCrypto;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends WeChat Pay notifications to merchants' notify_url: the resource encrypted with the
 * merchant's API v3 key, the request signed with the platform key, and re-sent on the {@link
 * RetrySchedule} until the receiver acknowledges. Every attempt is recorded as a {@link Delivery}.
 */
public final class Notifier implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** WeChat waits 5 seconds for a receiver to answer. */
    static final Duration RECEIVER_TIMEOUT = Duration.ofSeconds(5);

    private final ResponseSigner signer;
    private final Clock clock;
    private final HttpClient http;
    private final ScheduledExecutorService executor;
    private final DeliveryControls controls = new DeliveryControls(this);
    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private volatile RetrySchedule schedule = RetrySchedule.wechat();

    public Notifier(ResponseSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(RECEIVER_TIMEOUT).build();
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor pool =
                new ScheduledThreadPoolExecutor(
                        2,
                        r -> {
                            Thread t =
                                    new Thread(r, "wechat-sim-notify-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        pool.setRemoveOnCancelPolicy(true);
        this.executor = pool;
    }

    public DeliveryControls controls() {
        return controls;
    }

    public void schedule(RetrySchedule schedule) {
        this.schedule = schedule;
    }

    public RetrySchedule schedule() {
        return schedule;
    }

    public List<Delivery> deliveries() {
        return List.copyOf(deliveries);
    }

    /** Encrypts {@code resource} for the merchant and wraps it in WeChat's notification body. */
    public OutgoingNotification create(
            Merchant merchant,
            String url,
            String eventType,
            String summary,
            String originalType,
            String subject,
            Map<String, Object> resource) {
        String nonce = PayCrypto.nonce(12);
        Map<String, Object> encrypted = new LinkedHashMap<>();
        encrypted.put("original_type", originalType);
        encrypted.put("algorithm", AesGcm.ALGORITHM);
        encrypted.put(
                "ciphertext",
                new AesGcm(merchant.apiV3Key()).encrypt(originalType, nonce, json(resource)));
        encrypted.put("associated_data", originalType);
        encrypted.put("nonce", nonce);
        Map<String, Object> body = new LinkedHashMap<>();
        String id = UUID.randomUUID().toString();
        body.put("id", id);
        body.put("create_time", WeChatTime.rfc3339(clock.instant()));
        body.put("resource_type", "encrypt-resource");
        body.put("event_type", eventType);
        body.put("summary", summary);
        body.put("resource", encrypted);
        return new OutgoingNotification(id, merchant, url, eventType, subject, json(body));
    }

    /** Queues a notification for delivery, subject to the {@link #controls()}. */
    public void submit(OutgoingNotification notification) {
        if (controls.takeSuppressed()) {
            record(notification, 1, 1, 0, DeliveryOutcome.SUPPRESSED);
            return;
        }
        if (controls.holdIfHolding(notification)) {
            return;
        }
        start(List.of(notification));
    }

    /** First attempts of a batch, strictly in order, all copies of one before the next. */
    void start(List<OutgoingNotification> batch) {
        if (batch.isEmpty()) {
            return;
        }
        int copies = controls.copies();
        Runnable firstAttempts =
                () -> {
                    for (OutgoingNotification n : batch) {
                        for (int copy = 1; copy <= copies; copy++) {
                            attempt(n, copy, 1);
                        }
                    }
                };
        executor.schedule(firstAttempts, controls.delay().toNanos(), TimeUnit.NANOSECONDS);
    }

    private void attempt(OutgoingNotification n, int copy, int attempt) {
        int status = 0;
        DeliveryOutcome outcome;
        if (controls.takeDrop()) {
            outcome = DeliveryOutcome.DROPPED;
        } else {
            try {
                HttpResponse<String> response =
                        post(n.url(), signer.headers(n.merchant(), n.body()), n.body());
                status = response.statusCode();
                outcome =
                        acknowledged(response)
                                ? DeliveryOutcome.ACKNOWLEDGED
                                : DeliveryOutcome.REJECTED;
            } catch (IOException | RuntimeException e) {
                outcome = DeliveryOutcome.UNREACHABLE;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        record(n, copy, attempt, status, outcome);
        if (outcome != DeliveryOutcome.ACKNOWLEDGED) {
            schedule.delayAfter(attempt)
                    .ifPresent(
                            wait ->
                                    executor.schedule(
                                            () -> attempt(n, copy, attempt + 1),
                                            wait.toNanos(),
                                            TimeUnit.NANOSECONDS));
        }
    }

    /**
     * Sends one forged copy of a notification (no retries, not recorded) and returns the receiver's
     * HTTP status, 0 if it did not answer.
     */
    public int sendForged(OutgoingNotification n, Forgery forgery) {
        String body = n.body();
        Map<String, String> headers;
        switch (forgery) {
            case BAD_SIGNATURE -> {
                headers = new LinkedHashMap<>(signer.headers(n.merchant(), body));
                headers.put(
                        "Wechatpay-Signature",
                        PayCrypto.sign(ForgerKey.privateKey(), forgedMessage(headers, body)));
            }
            case TAMPERED_CIPHERTEXT -> {
                body = tamperCiphertext(body);
                headers = signer.headers(n.merchant(), body);
            }
            case UNKNOWN_SERIAL -> {
                headers = new LinkedHashMap<>(signer.headers(n.merchant(), body));
                headers.put("Wechatpay-Serial", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
            }
            case STALE_TIMESTAMP ->
                    headers =
                            signer.headersAt(
                                    n.merchant(), body, clock.instant().minus(Duration.ofHours(1)));
            default -> throw new IllegalArgumentException("unknown forgery " + forgery);
        }
        try {
            return post(n.url(), headers, body).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static String forgedMessage(Map<String, String> headers, String body) {
        return PayCrypto.responseMessage(
                Long.parseLong(headers.get("Wechatpay-Timestamp")),
                headers.get("Wechatpay-Nonce"),
                body);
    }

    private static String tamperCiphertext(String body) {
        try {
            JsonNode root = JSON.readTree(body);
            com.fasterxml.jackson.databind.node.ObjectNode resource =
                    (com.fasterxml.jackson.databind.node.ObjectNode) root.get("resource");
            byte[] raw = java.util.Base64.getDecoder().decode(resource.get("ciphertext").asText());
            raw[0] ^= 0x01;
            resource.put("ciphertext", java.util.Base64.getEncoder().encodeToString(raw));
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot tamper with notification body", e);
        }
    }

    private HttpResponse<String> post(String url, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(RECEIVER_TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** 2xx, unless the body says {@code {"code":"FAIL"}} (or any code other than SUCCESS). */
    private static boolean acknowledged(HttpResponse<String> response) {
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            return false;
        }
        String body = response.body();
        if (body == null || body.isBlank()) {
            return true;
        }
        try {
            JsonNode code = JSON.readTree(body).path("code");
            return code.isMissingNode() || code.asText().equals("SUCCESS");
        } catch (IOException e) {
            return true; // not JSON: WeChat goes by the status code
        }
    }

    private void record(
            OutgoingNotification n, int copy, int attempt, int status, DeliveryOutcome outcome) {
        deliveries.add(
                new Delivery(
                        n.id(),
                        n.merchant().mchid(),
                        n.eventType(),
                        n.subject(),
                        n.url(),
                        copy,
                        attempt,
                        clock.instant(),
                        status,
                        outcome));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + value, e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** A key that is not the platform's, generated once, for forged signatures. */
    private static final class ForgerKey {
        private static final java.security.KeyPair KEYS = generate();

        static java.security.PrivateKey privateKey() {
            return KEYS.getPrivate();
        }

        private static java.security.KeyPair generate() {
            try {
                java.security.KeyPairGenerator g =
                        java.security.KeyPairGenerator.getInstance("RSA");
                g.initialize(2048);
                return g.generateKeyPair();
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
