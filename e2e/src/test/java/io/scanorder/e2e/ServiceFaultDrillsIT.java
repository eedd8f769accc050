package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.scanorder.agent.emulator.PrintedJob;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.proto.order.v1.AcceptOrderRequest;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Whole-platform fault drills on the run's shared platform: a dinner rush of concurrent diners
 * (order with an Idempotency-Key, pay through the WeChat simulator, staff accept) while a service
 * is killed with SIGKILL, or while PostgreSQL restarts. Clients retry with the same key until they
 * get an answer; afterwards the databases and the kitchen devices must show every order, payment
 * and ticket exactly once. Each drill leaves the platform healthy for the classes that follow.
 */
@ExtendWith(SharedPlatform.class)
class ServiceFaultDrillsIT {
    private static final int KILL_DINERS = 30;
    private static final int DATABASE_DINERS = 20;

    /** How long one client step may keep retrying before the drill calls it lost. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(100);

    /** States an order can be in once it has been paid and accepted by the staff. */
    private static final Set<String> ACCEPTED_OR_LATER =
            Set.of("ACCEPTED", "DISPATCHING", "COOKING", "READY", "SERVED", "COMPLETED");

    private static LocalPlatform platform;
    private static PlatformDb db;
    private static String scene;
    private static ManagedChannel staffChannel;

    @BeforeAll
    static void scanTheTable(LocalPlatform shared) throws Exception {
        platform = shared;
        db = new PlatformDb(shared);
        scene =
                new DemoDinner(shared, new PrintStream(new ByteArrayOutputStream()))
                        .scanFirstTable();
        staffChannel =
                ManagedChannelBuilder.forAddress("127.0.0.1", shared.orderGrpcPort())
                        .usePlaintext()
                        .build();
    }

    @AfterAll
    static void closeChannel() throws InterruptedException {
        if (staffChannel != null) {
            staffChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void killingTheOrderServiceMidRushLosesAndDuplicatesNothing() throws Exception {
        Rush rush = new Rush("kill", 11, KILL_DINERS);
        long pidBefore = platform.service("order").pid();
        rush.start();
        rush.awaitPlaced(KILL_DINERS / 3);
        ServiceProcess restarted = platform.killAndRestart("order");
        assertThat(restarted.pid()).isNotEqualTo(pidBefore);
        int placedAtKill = rush.placedAtKill;

        List<Dinner> dinners = rush.finish();

        // The kill hit the rush: some diners were still to order, and calls failed and were
        // retried.
        assertThat(placedAtKill).isLessThan(KILL_DINERS);
        assertThat(dinners.stream().mapToInt(Dinner::retries).sum())
                .as("client calls retried because of the kill")
                .isPositive();
        assertNothingLostOrDuplicated(rush, dinners);
    }

    @Test
    void restartingTheDatabaseMidRushLosesAndDuplicatesNothing() throws Exception {
        HealthWatch orderHealth = new HealthWatch("order", platform.orderHttpPort());
        HealthWatch paymentHealth = new HealthWatch("payment", platform.paymentHttpPort());
        int port = platform.postgres().port();
        Rush rush = new Rush("pg", 12, DATABASE_DINERS);
        try {
            rush.start();
            rush.awaitPlaced(DATABASE_DINERS / 3);
            platform.postgres().stop();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .untilAsserted(
                                () -> {
                                    assertThat(orderHealth.sawDown()).as("order DOWN").isTrue();
                                    assertThat(paymentHealth.sawDown()).as("payment DOWN").isTrue();
                                });
            } finally {
                platform.postgres().start();
            }
            assertThat(platform.postgres().port()).isEqualTo(port);
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(
                            () -> {
                                assertThat(orderHealth.upAfterDown()).as("order UP").isTrue();
                                assertThat(paymentHealth.upAfterDown()).as("payment UP").isTrue();
                            });
            List<Dinner> dinners = rush.finish();
            assertThat(dinners.stream().mapToInt(Dinner::retries).sum())
                    .as("client calls retried because of the restart")
                    .isPositive();
            assertNothingLostOrDuplicated(rush, dinners);
        } finally {
            orderHealth.close();
            paymentHealth.close();
        }
    }

    /** What one diner ended up with, as the client saw it. */
    record Dinner(
            String openid,
            String key,
            String orderId,
            String pickup,
            long totalFen,
            String outTradeNo,
            int retries) {}

    /**
     * The drill's diners, each on its own thread with its own phone (openid, forwarded address):
     * log in, order a hot and a cold dish with an Idempotency-Key, pay, and have the staff accept.
     */
    private final class Rush {
        private final String openidPrefix;
        private final int subnet;
        private final int diners;
        private final ExecutorService pool;
        private final List<Future<Dinner>> futures = new ArrayList<>();
        private final AtomicInteger placed = new AtomicInteger();
        private final List<String> log = new CopyOnWriteArrayList<>();
        private volatile int placedAtKill = -1;

        Rush(String name, int subnet, int diners) {
            this.openidPrefix =
                    "o-drill-" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + "-";
            this.subnet = subnet;
            this.diners = diners;
            this.pool = Executors.newFixedThreadPool(diners);
        }

        void start() {
            for (int i = 0; i < diners; i++) {
                int n = i;
                futures.add(pool.submit(() -> dine(n)));
            }
        }

        /** Waits until {@code n} orders have been placed, so the fault lands mid-rush. */
        void awaitPlaced(int n) {
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> placed.get() >= n);
            placedAtKill = placed.get();
        }

        List<Dinner> finish() throws Exception {
            List<Dinner> done = new ArrayList<>();
            try {
                for (Future<Dinner> f : futures) {
                    try {
                        done.add(f.get(ANSWER_WITHIN.toSeconds() * 4, TimeUnit.SECONDS));
                    } catch (ExecutionException e) {
                        throw new AssertionError(
                                "a diner did not finish: "
                                        + e.getCause().getMessage()
                                        + "\nlast retried calls:\n  "
                                        + String.join(
                                                "\n  ",
                                                log.subList(
                                                        Math.max(0, log.size() - 20), log.size())),
                                e.getCause());
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            System.out.printf(
                    "fault drill %s: %d diners, %d placed when the fault hit, %d client retries%n",
                    openidPrefix,
                    done.size(),
                    placedAtKill,
                    done.stream().mapToInt(Dinner::retries).sum());
            return done;
        }

        private Dinner dine(int n) throws InterruptedException {
            // Diners arrive over a second or two, not all in the same millisecond.
            Thread.sleep(n * 60L);
            String openid = openidPrefix + n;
            DinerApi api = new DinerApi(platform).behind("10.77." + subnet + "." + (n + 1));
            String base = platform.dinerApiBaseUrl();
            int[] retries = {0};

            String token =
                    answered(
                                    openid + " login",
                                    retries,
                                    () -> {
                                        ObjectNode body = DinerApi.JSON.createObjectNode();
                                        body.put("code", api.loginCode(openid));
                                        body.put("tableScene", scene);
                                        return api.post(base + "/sessions", null, body, null);
                                    },
                                    201)
                            .text("token");

            String key = "drill-" + UUID.randomUUID();
            ObjectNode order = DinerApi.JSON.createObjectNode();
            order.put("tableScene", scene);
            ObjectNode hot = order.putArray("lines").addObject();
            hot.put("skuCode", DemoDinner.HOT_SKU);
            hot.put("quantity", 1);
            ObjectNode cold = order.withArray("lines").addObject();
            cold.put("skuCode", DemoDinner.COLD_SKU);
            cold.put("quantity", 1);
            // The same key on every try: a try whose answer was lost must not place a second
            // order.
            JsonNode placedOrder =
                    answered(
                                    openid + " place order " + key,
                                    retries,
                                    () -> api.post(base + "/orders", token, order, key),
                                    201,
                                    200)
                            .json();
            placed.incrementAndGet();
            String orderId = placedOrder.path("orderId").asText();
            String pickup = placedOrder.path("pickupNumber").asText();
            long totalFen = placedOrder.path("totalFen").asLong();

            String trade =
                    answered(
                                    openid + " start paying " + orderId,
                                    retries,
                                    () -> api.startPayment(orderId, token),
                                    200)
                            .text("outTradeNo");
            answered(openid + " pays " + trade, retries, () -> api.payerPays(trade), 200);
            awaitState(api, openid, orderId, token, retries, s -> !s.equals("PENDING_PAYMENT"));
            accept(api, openid, orderId, token, retries);
            return new Dinner(openid, key, orderId, pickup, totalFen, trade, retries[0]);
        }

        /**
         * Calls until one of the {@code wanted} statuses comes back. Connection failures and 5xx
         * (the service or its database is away) are retried; any other answer is a finding.
         */
        private DinerApi.Answer answered(
                String what, int[] retries, Supplier<DinerApi.Answer> call, int... wanted)
                throws InterruptedException {
            long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
            String last = "nothing";
            long pause = 200;
            while (true) {
                try {
                    DinerApi.Answer a = call.get();
                    int status = a.status();
                    if (Arrays.stream(wanted).anyMatch(w -> w == status)) {
                        return a;
                    }
                    // 429: the diner's rate limit counted tries the outage failed; wait.
                    if (status < 500 && status != 429) {
                        throw new IllegalStateException(
                                what + ": answered " + status + ": " + DinerApi.clip(a.body()));
                    }
                    last = status + " " + DinerApi.clip(a.body());
                    // As a phone would: wait at least as long as the service asks.
                    pause = Math.max(pause, a.retryAfterSeconds() * 1000);
                } catch (UncheckedIOException e) {
                    last = e.getMessage();
                }
                retries[0]++;
                log.add(what + ": " + last);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            what + ": no answer within " + ANSWER_WITHIN + "; last: " + last);
                }
                // Jittered, so the diners do not come back all in the same instant.
                Thread.sleep(pause + ThreadLocalRandom.current().nextLong(pause / 2 + 1));
                pause = Math.min(pause * 2, 2000);
            }
        }

        private String awaitState(
                DinerApi api,
                String openid,
                String orderId,
                String token,
                int[] retries,
                java.util.function.Predicate<String> done)
                throws InterruptedException {
            long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
            while (true) {
                String state =
                        answered(
                                        openid + " reads " + orderId,
                                        retries,
                                        () -> api.order(orderId, token),
                                        200)
                                .text("state");
                if (done.test(state)) {
                    return state;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "order "
                                    + orderId
                                    + " of "
                                    + openid
                                    + " is still "
                                    + state
                                    + " after "
                                    + ANSWER_WITHIN);
                }
                Thread.sleep(200);
            }
        }

        /**
         * The staff accept the paid order over gRPC, retrying while the service is away; a retry
         * refused because an earlier try did accept it is checked against the order's state.
         */
        private void accept(
                DinerApi api, String openid, String orderId, String token, int[] retries)
                throws InterruptedException {
            long deadline = System.nanoTime() + ANSWER_WITHIN.toNanos();
            while (true) {
                try {
                    OrderServiceGrpc.newBlockingStub(staffChannel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .acceptOrder(
                                    AcceptOrderRequest.newBuilder()
                                            .setOrderId(orderId)
                                            .setActor(
                                                    Actor.newBuilder()
                                                            .setKind(ActorKind.ACTOR_KIND_STAFF)
                                                            .setId("drill-staff"))
                                            .build());
                    return;
                } catch (StatusRuntimeException e) {
                    Status.Code code = e.getStatus().getCode();
                    if (code == Status.Code.FAILED_PRECONDITION) {
                        String state = awaitState(api, openid, orderId, token, retries, s -> true);
                        if (ACCEPTED_OR_LATER.contains(state)) {
                            return;
                        }
                        throw new IllegalStateException(
                                "AcceptOrder " + orderId + " refused while it is " + state, e);
                    }
                    retries[0]++;
                    log.add("accept " + orderId + ": " + e.getStatus());
                    if (code == Status.Code.UNAVAILABLE) {
                        // Back now perhaps: do not sit out gRPC's reconnect back-off.
                        staffChannel.resetConnectBackoff();
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "AcceptOrder " + orderId + " not answered within " + ANSWER_WITHIN,
                                e);
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    /**
     * Every order the clients saw exists once, nothing else was placed by the drill's diners, each
     * is paid once with one successful payment and accepted once, each has one ticket per station
     * that its device printed or showed once, and nothing is left in either outbox.
     */
    private void assertNothingLostOrDuplicated(Rush rush, List<Dinner> dinners) throws Exception {
        assertThat(dinners).hasSize(rush.diners);
        String prefix = rush.openidPrefix + "%";
        assertThat(db.orders("SELECT count(*) FROM orders WHERE placed_by_openid LIKE ?", prefix))
                .as("orders placed by the drill's diners")
                .isEqualTo(dinners.size());
        assertThat(dinners.stream().map(Dinner::orderId).distinct()).hasSize(dinners.size());
        for (Dinner d : dinners) {
            UUID id = UUID.fromString(d.orderId());
            assertThat(db.orders("SELECT count(*) FROM orders WHERE idempotency_key = ?", d.key()))
                    .as("orders under key %s", d.key())
                    .isEqualTo(1);
            assertThat(db.orderText("SELECT placed_by_openid FROM orders WHERE order_id = ?", id))
                    .isEqualTo(d.openid());
            assertThat(db.orderText("SELECT state FROM orders WHERE order_id = ?", id))
                    .as("state of %s", id)
                    .isIn(ACCEPTED_OR_LATER);
            assertThat(
                            db.orderText(
                                    "SELECT paid_fen = total_fen AND total_fen = ? FROM orders"
                                            + " WHERE order_id = ?",
                                    d.totalFen(),
                                    id))
                    .as("paid in full: %s", id)
                    .isEqualTo("t");
            for (String state : List.of("PAID", "ACCEPTED")) {
                assertThat(
                                db.orders(
                                        "SELECT count(*) FROM order_events WHERE order_id = ?"
                                                + " AND to_state = ?",
                                        id,
                                        state))
                        .as("%s events of %s", state, id)
                        .isEqualTo(1);
            }
            assertThat(
                            db.payments(
                                    "SELECT count(*) FROM payments WHERE order_id = ?"
                                            + " AND state = 'SUCCESS'",
                                    d.orderId()))
                    .as("successful payments of %s", id)
                    .isEqualTo(1);
            assertThat(
                            db.payments(
                                    "SELECT count(*) FROM payments WHERE out_trade_no = ?"
                                            + " AND state = 'SUCCESS' AND amount_fen = ?",
                                    d.outTradeNo(),
                                    d.totalFen()))
                    .as("the payment the diner made for %s", id)
                    .isEqualTo(1);
        }

        // Tickets: one per station (hot printer, cold KDS), delivered, outbox worked off.
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            assertThat(
                                            db.orders(
                                                    "SELECT count(*) FROM kitchen_tickets t JOIN"
                                                            + " orders o USING (order_id) WHERE"
                                                            + " o.placed_by_openid LIKE ? AND t.state ="
                                                            + " 'ACKED'",
                                                    prefix))
                                    .as("acknowledged tickets")
                                    .isEqualTo(2L * dinners.size());
                            assertThat(
                                            db.orders(
                                                    "SELECT count(*) FROM outbox x JOIN"
                                                            + " kitchen_tickets t ON t.ticket_id ="
                                                            + " x.aggregate_id JOIN orders o USING"
                                                            + " (order_id) WHERE o.placed_by_openid"
                                                            + " LIKE ? AND x.completed_at IS NULL",
                                                    prefix))
                                    .as("outbox rows not completed")
                                    .isZero();
                        });
        assertThat(
                        db.orders(
                                "SELECT count(*) FROM kitchen_tickets t JOIN orders o USING"
                                        + " (order_id) WHERE o.placed_by_openid LIKE ?",
                                prefix))
                .as("tickets of the drill's orders")
                .isEqualTo(2L * dinners.size());

        List<String> hotTickets = ticketIds(prefix, "hot");
        List<String> coldTickets = ticketIds(prefix, "cold");
        assertThat(hotTickets).hasSize(dinners.size());
        assertThat(coldTickets).hasSize(dinners.size());
        List<String> printed = new ArrayList<>();
        for (PrinterEmulator printer : platform.printerEmulators()) {
            for (PrintedJob job : printer.jobs()) {
                printed.add(job.text().replaceAll("\\s", ""));
            }
        }
        for (String ticket : hotTickets) {
            assertThat(printed.stream().filter(p -> p.contains(ticket)).count())
                    .as("paper copies of hot ticket %s", ticket)
                    .isEqualTo(1);
        }
        List<String> shown = kdsTicketIds();
        for (String ticket : coldTickets) {
            assertThat(shown.stream().filter(ticket::equals).count())
                    .as("KDS entries of cold ticket %s", ticket)
                    .isEqualTo(1);
        }

        // The payment service's outbox to the order service is worked off too.
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(
                        () -> {
                            for (Dinner d : dinners) {
                                assertThat(
                                                db.payments(
                                                        "SELECT count(*) FROM order_notices"
                                                                + " WHERE out_trade_no = ?"
                                                                + " AND status = 'DELIVERED'",
                                                        d.outTradeNo()))
                                        .as("order notice of %s", d.outTradeNo())
                                        .isEqualTo(1);
                            }
                        });
    }

    private static List<String> ticketIds(String openidPattern, String station)
            throws SQLException {
        try (Connection c = platform.postgres().connect(LocalPlatform.ORDER_DATABASE);
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT t.ticket_id::text FROM kitchen_tickets t JOIN orders o"
                                        + " USING (order_id) WHERE o.placed_by_openid LIKE ?"
                                        + " AND t.station = ?")) {
            ps.setString(1, openidPattern);
            ps.setString(2, station);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** Every ticket id on the KDS tablets' pages. */
    private static List<String> kdsTicketIds() {
        DinerApi http = new DinerApi(platform);
        List<String> ids = new ArrayList<>();
        for (KitchenSide.RunningDevice d : platform.devices()) {
            if (d.kds() == null) {
                continue;
            }
            JsonNode page =
                    http.get("http://127.0.0.1:" + d.kds().pagePort() + "/api/tickets", null)
                            .expect(200);
            for (JsonNode t : page.path("tickets")) {
                ids.add(t.path("ticketId").asText());
            }
        }
        return ids;
    }

    /**
     * Polls a service's readiness ({@code /q/health/ready}) in the background and remembers whether
     * it was seen DOWN (503) and UP (200) after that.
     */
    private static final class HealthWatch implements AutoCloseable {
        private final Thread thread;
        private volatile boolean sawDown;
        private volatile boolean upAfterDown;
        private volatile boolean stop;

        HealthWatch(String name, int httpPort) {
            URI url = URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready");
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            thread =
                    new Thread(
                            () -> {
                                while (!stop) {
                                    int status = status(http, url);
                                    if (status == 503) {
                                        sawDown = true;
                                    } else if (status == 200 && sawDown) {
                                        upAfterDown = true;
                                    }
                                    try {
                                        Thread.sleep(100);
                                    } catch (InterruptedException e) {
                                        return;
                                    }
                                }
                            },
                            name + "-health-watch");
            thread.setDaemon(true);
            thread.start();
        }

        private static int status(HttpClient http, URI url) {
            try {
                return http.send(
                                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
            } catch (java.io.IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        boolean sawDown() {
            return sawDown;
        }

        boolean upAfterDown() {
            return upAfterDown;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.interrupt();
            thread.join(5000);
        }
    }
}
