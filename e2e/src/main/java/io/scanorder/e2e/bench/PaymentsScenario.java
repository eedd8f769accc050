package io.scanorder.e2e.bench;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.scanorder.e2e.DinerApi;
import io.scanorder.e2e.LocalPlatform;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PaymentState;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Payment status queries ({@code PaymentService/QueryPayment} over gRPC) against the platform's
 * payment service, as services/payment's PaymentQueryBench measures them in isolation: real
 * payments of real diner orders, half settled (paid in the WeChat Pay simulator, answered from the
 * payment database) and half pending (every query asks the simulator over HTTP), queried by {@code
 * bench.threads} clients in a closed loop; latency per kind.
 */
final class PaymentsScenario {
    static final String NAME = "payments";
    static final String SETTLED = "settled";
    static final String PENDING = "pending";

    private static final long SETTLE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private PaymentsScenario() {}

    /** One payment to query and whether it was paid. */
    private record Trade(String outTradeNo, boolean settled) {}

    static void run(LocalPlatform platform, BenchSettings settings, BenchReport report)
            throws Exception {
        String storeCode = platform.examples().storeCode();
        List<String> scenes = BenchTables.scenes(platform);
        String sku = BenchTables.orderableSku(platform.examples());
        PlacementScenario.Diners diners =
                new PlacementScenario.Diners(new DinerApi(platform), scenes, "o-bench-pay-");
        List<Trade> trades = trades(diners, sku, settings.payments(), settings.threads());
        List<String> settled =
                trades.stream().filter(Trade::settled).map(Trade::outTradeNo).toList();
        List<String> pending =
                trades.stream().filter(t -> !t.settled()).map(Trade::outTradeNo).toList();

        ManagedChannel setupChannel = channel(platform);
        try {
            awaitSettled(PaymentServiceGrpc.newBlockingStub(setupChannel), storeCode, settled);
        } finally {
            setupChannel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }

        ClosedLoop.Result r =
                ClosedLoop.run(
                        settings.threads(),
                        settings.warmUp(),
                        settings.window(),
                        thread -> {
                            ManagedChannel channel = channel(platform);
                            var stub = PaymentServiceGrpc.newBlockingStub(channel);
                            return new ClosedLoop.Worker() {
                                String kind;

                                @Override
                                public void once() {
                                    ThreadLocalRandom random = ThreadLocalRandom.current();
                                    boolean paid = random.nextBoolean();
                                    List<String> from = paid ? settled : pending;
                                    String no = from.get(random.nextInt(from.size()));
                                    kind = null;
                                    Payment answer = query(stub, storeCode, no);
                                    boolean success =
                                            answer.getState() == PaymentState.PAYMENT_STATE_SUCCESS;
                                    if (success != paid) {
                                        throw new IllegalStateException(
                                                "QueryPayment "
                                                        + no
                                                        + " answered "
                                                        + answer.getState()
                                                        + " for a "
                                                        + (paid ? SETTLED : PENDING)
                                                        + " payment");
                                    }
                                    kind = paid ? SETTLED : PENDING;
                                }

                                @Override
                                public String kind() {
                                    return kind;
                                }

                                @Override
                                public void close() throws InterruptedException {
                                    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
                                }
                            };
                        });
        String how =
                settings.threads()
                        + " gRPC clients (one channel each), "
                        + r.window().toSeconds()
                        + " s, "
                        + trades.size()
                        + " payments of diner orders (REST order + payment start), "
                        + settled.size()
                        + " settled / "
                        + pending.size()
                        + " pending, picked at random";
        report.add(
                new Measurement(
                        NAME,
                        "QueryPayment (gRPC), all",
                        r.perSecond(),
                        "queries/s",
                        Latency.ofMicros(r.micros()),
                        null,
                        null,
                        how + PlacementScenario.failures(r)));
        report.add(
                new Measurement(
                        NAME,
                        "QueryPayment, settled",
                        r.perSecond(SETTLED),
                        "queries/s",
                        r.latency(SETTLED),
                        null,
                        null,
                        "paid payments: answered from the payment database"));
        report.add(
                new Measurement(
                        NAME,
                        "QueryPayment, pending",
                        r.perSecond(PENDING),
                        "queries/s",
                        r.latency(PENDING),
                        null,
                        null,
                        "unpaid payments: each query asks the WeChat Pay simulator over HTTP"
                                + " (signed request, verified answer) and records it"));
    }

    /**
     * {@code count} diner orders with a started payment each, every other one paid in the
     * simulator; set up on {@code threads} threads, one diner session per order.
     */
    private static List<Trade> trades(
            PlacementScenario.Diners diners, String sku, int count, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Trade>> started = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                boolean pay = i % 2 == 0;
                started.add(
                        pool.submit(
                                () -> {
                                    var session = diners.next();
                                    String orderId =
                                            session.api()
                                                    .orderLine(
                                                            session.scene(),
                                                            session.token(),
                                                            sku,
                                                            1,
                                                            "bench-pay-"
                                                                    + java.util.UUID.randomUUID())
                                                    .expect(201)
                                                    .path("orderId")
                                                    .asText();
                                    String outTradeNo =
                                            session.api()
                                                    .startPayment(orderId, session.token())
                                                    .expect(200)
                                                    .path("outTradeNo")
                                                    .asText();
                                    if (pay) {
                                        session.api().payerPays(outTradeNo).expect(200);
                                    }
                                    return new Trade(outTradeNo, pay);
                                }));
            }
            List<Trade> trades = new ArrayList<>();
            for (Future<Trade> f : started) {
                trades.add(f.get(2, TimeUnit.MINUTES));
            }
            return trades;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits until the payment service has recorded every paid trade as SUCCESS. */
    private static void awaitSettled(
            PaymentServiceGrpc.PaymentServiceBlockingStub stub,
            String storeCode,
            List<String> settled)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT_NANOS;
        for (String no : settled) {
            PaymentState state;
            while ((state = query(stub, storeCode, no).getState())
                    != PaymentState.PAYMENT_STATE_SUCCESS) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "payment "
                                    + no
                                    + " was paid in the simulator but QueryPayment still answers "
                                    + state
                                    + " after "
                                    + TimeUnit.NANOSECONDS.toSeconds(SETTLE_TIMEOUT_NANOS)
                                    + " s; see e2e/target/bench/services.log");
                }
                Thread.sleep(100);
            }
        }
    }

    private static Payment query(
            PaymentServiceGrpc.PaymentServiceBlockingStub stub, String storeCode, String no) {
        return stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                .queryPayment(
                        QueryPaymentRequest.newBuilder()
                                .setStoreCode(storeCode)
                                .setOutTradeNo(no)
                                .build());
    }

    private static ManagedChannel channel(LocalPlatform platform) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", platform.paymentGrpcPort())
                .usePlaintext()
                .build();
    }
}
