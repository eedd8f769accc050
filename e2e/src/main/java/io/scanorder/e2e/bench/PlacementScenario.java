package io.scanorder.e2e.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.scanorder.e2e.DinerApi;
import io.scanorder.e2e.LocalPlatform;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.OrderLineInput;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.PlaceOrderRequest;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Order placement as fast as the platform takes it, closed loop: diners over the REST API ({@code
 * POST /api/v1/orders} with a session and an Idempotency-Key, one line of an always-available dish)
 * and staff over gRPC ({@code OrderService/PlaceOrder} with a bare table code), each from {@code
 * bench.threads} clients, compared with the PostgreSQL INSERT ceiling of the same run.
 */
final class PlacementScenario {
    static final String NAME = "placement";
    static final String REST = "order placement, diner REST";
    static final String GRPC = "order placement, gRPC PlaceOrder";

    /**
     * Orders per diner session: the order service's default per-diner limit is 10 new orders a
     * minute ({@code scanorder.placement.rate-limit.orders-per-openid}), so each session (with its
     * own openid and client address, under the per-IP limits of 60 orders and 30 logins a minute)
     * places at most that many and the limiter is never what is measured.
     */
    static final int ORDERS_PER_SESSION = 10;

    /** How often a diner repeats a 503 (BUSY) with the same key, as the mini-program does. */
    private static final int MAX_RETRIES = 5;

    private static final String ROWS_NOTE =
            "each order is one SERIALIZABLE transaction of about 5 row writes (orders, order_lines,"
                    + " order_events, pickup_counters upsert) against single-row INSERTs in the"
                    + " ceiling";

    private PlacementScenario() {}

    /** A logged-in diner at a table, good for {@link #ORDERS_PER_SESSION} orders. */
    record Session(DinerApi api, String scene, String token) {}

    static void run(LocalPlatform platform, BenchSettings settings, BenchReport report)
            throws Exception {
        List<String> scenes = BenchTables.scenes(platform);
        String sku = BenchTables.orderableSku(platform.examples());
        Measurement ceiling =
                report.find(CeilingsScenario.NAME, CeilingsScenario.PG_INSERT).orElse(null);
        rest(platform, settings, report, scenes, sku, ceiling);
        grpc(platform, settings, report, scenes, sku, ceiling);
    }

    private static void rest(
            LocalPlatform platform,
            BenchSettings settings,
            BenchReport report,
            List<String> scenes,
            String sku,
            Measurement ceiling)
            throws Exception {
        Diners diners = new Diners(new DinerApi(platform), scenes, "o-bench-place-");
        // Enough sessions for a few hundred orders a second per thread count, logged in before the
        // clock starts; more are logged in (outside each order's timing) if the run needs them.
        diners.preLogin(settings.threads() * 30, settings.threads());
        int loggedInBefore = diners.loggedIn();
        AtomicLong retried = new AtomicLong();
        AtomicLong limited = new AtomicLong();
        ClosedLoop.Result r =
                ClosedLoop.run(
                        settings.threads(),
                        settings.warmUp(),
                        settings.window(),
                        thread ->
                                new ClosedLoop.Worker() {
                                    Session session;
                                    int used;

                                    @Override
                                    public void prepare() {
                                        if (session == null || used >= ORDERS_PER_SESSION) {
                                            session = diners.next();
                                            used = 0;
                                        }
                                    }

                                    @Override
                                    public void once() throws InterruptedException {
                                        used++;
                                        String key = "bench-" + UUID.randomUUID();
                                        DinerApi.Answer a = null;
                                        for (int attempt = 0; attempt <= MAX_RETRIES; attempt++) {
                                            if (attempt > 0) {
                                                retried.incrementAndGet();
                                                Thread.sleep(20L * attempt);
                                            }
                                            a =
                                                    session.api()
                                                            .orderLine(
                                                                    session.scene(),
                                                                    session.token(),
                                                                    sku,
                                                                    1,
                                                                    key);
                                            if (a.status() != 503) {
                                                break;
                                            }
                                        }
                                        if (a.status() == 429) {
                                            limited.incrementAndGet();
                                            used = ORDERS_PER_SESSION;
                                        }
                                        // 200: an earlier attempt of this key committed after all.
                                        if (a.status() != 201 && a.status() != 200) {
                                            a.expect(201);
                                        }
                                    }
                                });
        report.add(
                new Measurement(
                                NAME,
                                REST,
                                r.perSecond(),
                                "orders/s",
                                Latency.ofMicros(r.micros()),
                                null,
                                null,
                                settings.threads()
                                        + " diner clients, "
                                        + r.window().toSeconds()
                                        + " s; POST /api/v1/orders, 1 line, new Idempotency-Key"
                                        + " per order (503 repeated with it, latency includes"
                                        + " repeats: "
                                        + retried.get()
                                        + "); "
                                        + diners.loggedIn()
                                        + " diner sessions ("
                                        + (diners.loggedIn() - loggedInBefore)
                                        + " logged in during the run, outside the timing) on "
                                        + scenes.size()
                                        + " tables, new openid and X-Forwarded-For every "
                                        + ORDERS_PER_SESSION
                                        + " orders; rate limiter refused "
                                        + limited.get()
                                        + " (429); "
                                        + ROWS_NOTE
                                        + failures(r))
                        .relativeTo(ceiling));
    }

    private static void grpc(
            LocalPlatform platform,
            BenchSettings settings,
            BenchReport report,
            List<String> scenes,
            String sku,
            Measurement ceiling)
            throws Exception {
        String storeCode = platform.examples().storeCode();
        String run = BenchSettings.randomHex(4);
        Actor staff =
                Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_STAFF).setId("bench-staff").build();
        ClosedLoop.Result r =
                ClosedLoop.run(
                        settings.threads(),
                        settings.warmUp(),
                        settings.window(),
                        thread -> {
                            ManagedChannel channel =
                                    ManagedChannelBuilder.forAddress(
                                                    "127.0.0.1", platform.orderGrpcPort())
                                            .usePlaintext()
                                            .build();
                            var orders = OrderServiceGrpc.newBlockingStub(channel);
                            return new ClosedLoop.Worker() {
                                long n;

                                @Override
                                public void once() {
                                    long i = n++;
                                    String table =
                                            BenchTables.tableCode(
                                                    scenes.get(
                                                            (int)
                                                                    ((i * settings.threads()
                                                                                    + thread)
                                                                            % scenes.size())));
                                    orders.withDeadlineAfter(10, TimeUnit.SECONDS)
                                            .placeOrder(
                                                    PlaceOrderRequest.newBuilder()
                                                            .setStoreCode(storeCode)
                                                            .setTableCode(table)
                                                            .setIdempotencyKey(
                                                                    "bench-place-"
                                                                            + run
                                                                            + "-"
                                                                            + thread
                                                                            + "-"
                                                                            + i)
                                                            .setPlacedBy(staff)
                                                            .addLines(
                                                                    OrderLineInput.newBuilder()
                                                                            .setSkuCode(sku)
                                                                            .setQuantity(1))
                                                            .build());
                                }

                                @Override
                                public void close() throws InterruptedException {
                                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                                }
                            };
                        });
        report.add(
                new Measurement(
                                NAME,
                                GRPC,
                                r.perSecond(),
                                "orders/s",
                                Latency.ofMicros(r.micros()),
                                null,
                                null,
                                settings.threads()
                                        + " staff clients (one channel each), "
                                        + r.window().toSeconds()
                                        + " s; OrderService/PlaceOrder, 1 line, bare table code,"
                                        + " rotating over "
                                        + scenes.size()
                                        + " tables, no rate limit; "
                                        + ROWS_NOTE
                                        + failures(r))
                        .relativeTo(ceiling));
    }

    static String failures(ClosedLoop.Result r) {
        return r.errors() == 0 && r.firstError() == null
                ? ""
                : "; " + r.errors() + " failed, first: " + r.firstError();
    }

    /**
     * Fresh diner sessions: each with its own openid and client address ({@code X-Forwarded-For}
     * from 10.88.0.0/16), at the tables in turn, so neither per-diner nor per-IP limits add up.
     */
    static final class Diners {
        private final DinerApi api;
        private final List<String> scenes;
        private final String openidPrefix;
        private final ConcurrentLinkedQueue<Session> ready = new ConcurrentLinkedQueue<>();
        private final AtomicInteger issued = new AtomicInteger();

        Diners(DinerApi api, List<String> scenes, String openidPrefix) {
            this.api = api;
            this.scenes = scenes;
            this.openidPrefix = openidPrefix + BenchSettings.randomHex(4) + "-";
        }

        /** Logs {@code count} sessions in on {@code threads} threads. */
        void preLogin(int count, int threads) throws Exception {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Session>> logins =
                        java.util.stream.IntStream.range(0, count)
                                .mapToObj(i -> pool.submit(this::login))
                                .toList();
                for (Future<Session> f : logins) {
                    ready.add(f.get(60, TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }

        /** A session logged in earlier, or a new one. */
        Session next() {
            Session s = ready.poll();
            return s != null ? s : login();
        }

        int loggedIn() {
            return issued.get();
        }

        private Session login() {
            int i = issued.getAndIncrement();
            DinerApi diner = api.behind("10.88." + (i / 250 % 250) + "." + (i % 250 + 1));
            String scene = scenes.get(i % scenes.size());
            return new Session(diner, scene, diner.login(openidPrefix + i, scene));
        }
    }
}
