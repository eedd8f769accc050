package io.scanorder.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.scanorder.payment.store.PaymentState;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.proto.payment.v1.Payment;
import io.scanorder.proto.payment.v1.PaymentServiceGrpc;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.QueryPaymentRequest;
import io.scanorder.wechatsim.WeChatSimulator;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (surefire's default includes never pick up {@code *Bench}): {@code
 * bench.clients} concurrent gRPC clients call QueryPayment for {@code bench.seconds} on real
 * payments in the real payment database, half of them settled (paid: answered from the database)
 * and half pending (not paid: every query asks the WeChat Pay simulator over HTTP, verifies its
 * signature and records the answer). Prints throughput and p50/p99 per kind.
 *
 * <p>Run: {@code ./mvnw -B -pl services/payment -am verify -Dtest=PaymentQueryBench
 * -Dsurefire.failIfNoSpecifiedTests=false} with optional {@code -Dbench.clients=16
 * -Dbench.seconds=20 -Dbench.warmup-seconds=5 -Dbench.payments=200}. Results: stdout and {@code
 * services/payment/target/bench/payment-query.json}.
 */
@QuarkusTest
@WithTestResource(PaymentInfrastructure.class)
class PaymentQueryBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectWeChat WeChatSimulator wechat;
    @Inject PaymentStore store;

    /** One measured phase: latencies (µs) of settled and pending queries, and failures. */
    private record Phase(long[] settled, long[] pending, long failed, double seconds) {
        double perSecond() {
            return (settled.length + pending.length) / seconds;
        }
    }

    @Test
    void queryPaymentsConcurrently() throws Exception {
        int clients = Integer.getInteger("bench.clients", 16);
        int seconds = Integer.getInteger("bench.seconds", 20);
        int warmup = Integer.getInteger("bench.warmup-seconds", 5);
        int count = Integer.getInteger("bench.payments", 200);
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            PaymentServiceGrpc.PaymentServiceBlockingStub stub =
                    PaymentServiceGrpc.newBlockingStub(channel);
            List<String> settled = new ArrayList<>();
            List<String> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String outTradeNo = prepay(stub);
                if (i % 2 == 0) {
                    wechat.pay().pay(PaymentInfrastructure.MCH_ID, outTradeNo);
                    settled.add(outTradeNo);
                } else {
                    pending.add(outTradeNo);
                }
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(
                            () ->
                                    settled.stream()
                                            .allMatch(
                                                    no ->
                                                            store.find(no).orElseThrow().state()
                                                                    == PaymentState.SUCCESS));

            Phase warm = run(stub, clients, warmup, settled, pending);
            Phase measured = run(stub, clients, seconds, settled, pending);

            long[] all = concat(measured.settled(), measured.pending());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put(
                    "benchmark",
                    "gRPC QueryPayment, half settled (database), half pending"
                            + " (WeChat Pay simulator query)");
            result.put("clients", clients);
            result.put("payments", count);
            result.put("seconds", Math.round(measured.seconds() * 10) / 10.0);
            result.put("queries", all.length);
            result.put("failed", measured.failed());
            result.put("queriesPerSecond", Math.round(measured.perSecond() * 10) / 10.0);
            result.put("p50Millis", millis(all, 50));
            result.put("p99Millis", millis(all, 99));
            result.put("settledP50Millis", millis(measured.settled(), 50));
            result.put("settledP99Millis", millis(measured.settled(), 99));
            result.put("pendingP50Millis", millis(measured.pending(), 50));
            result.put("pendingP99Millis", millis(measured.pending(), 99));
            result.put("cores", Runtime.getRuntime().availableProcessors());
            Path out = Path.of("target", "bench", "payment-query.json");
            Files.createDirectories(out.getParent());
            Files.writeString(
                    out, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
            System.out.printf(
                    "%nQueryPayment over gRPC (%d clients, %.1f s, %d cores, %d payments)%n"
                            + "  queries/s %.1f   p50 %.2f ms   p99 %.2f ms   failed %d%n"
                            + "  settled: p50 %.2f ms p99 %.2f ms   pending (WeChat query):"
                            + " p50 %.2f ms p99 %.2f ms%n  written to %s%n%n",
                    clients,
                    measured.seconds(),
                    result.get("cores"),
                    count,
                    measured.perSecond(),
                    result.get("p50Millis"),
                    result.get("p99Millis"),
                    measured.failed(),
                    result.get("settledP50Millis"),
                    result.get("settledP99Millis"),
                    result.get("pendingP50Millis"),
                    result.get("pendingP99Millis"),
                    out.toAbsolutePath());

            // Correctness only: every query was answered, both kinds were exercised.
            assertThat(warm.failed() + measured.failed()).isZero();
            assertThat(measured.settled()).isNotEmpty();
            assertThat(measured.pending()).isNotEmpty();
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private Phase run(
            PaymentServiceGrpc.PaymentServiceBlockingStub stub,
            int clients,
            int seconds,
            List<String> settled,
            List<String> pending)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        List<Future<long[][]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(
                    pool.submit(
                            () -> {
                                List<Long> s = new ArrayList<>();
                                List<Long> p = new ArrayList<>();
                                long failed = 0;
                                ThreadLocalRandom random = ThreadLocalRandom.current();
                                while (System.nanoTime() < end) {
                                    boolean isSettled = random.nextBoolean();
                                    List<String> from = isSettled ? settled : pending;
                                    String no = from.get(random.nextInt(from.size()));
                                    long t0 = System.nanoTime();
                                    try {
                                        Payment answer =
                                                stub.withDeadlineAfter(10, TimeUnit.SECONDS)
                                                        .queryPayment(
                                                                QueryPaymentRequest.newBuilder()
                                                                        .setStoreCode("001")
                                                                        .setOutTradeNo(no)
                                                                        .build());
                                        long micros = (System.nanoTime() - t0) / 1000;
                                        boolean paid =
                                                answer.getState()
                                                        == io.scanorder.proto.payment.v1
                                                                .PaymentState.PAYMENT_STATE_SUCCESS;
                                        if (paid != isSettled) {
                                            failed++;
                                        } else {
                                            (isSettled ? s : p).add(micros);
                                        }
                                    } catch (RuntimeException e) {
                                        failed++;
                                    }
                                }
                                return new long[][] {
                                    s.stream().mapToLong(Long::longValue).toArray(),
                                    p.stream().mapToLong(Long::longValue).toArray(),
                                    {failed}
                                };
                            }));
        }
        long[] s = new long[0];
        long[] p = new long[0];
        long failed = 0;
        for (Future<long[][]> f : futures) {
            long[][] r = f.get(seconds + 60L, TimeUnit.SECONDS);
            s = concat(s, r[0]);
            p = concat(p, r[1]);
            failed += r[2][0];
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Phase(s, p, failed, elapsed);
    }

    private String prepay(PaymentServiceGrpc.PaymentServiceBlockingStub stub) {
        String order = "B" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        String outTradeNo = order + "_1";
        stub.withDeadlineAfter(15, TimeUnit.SECONDS)
                .prepay(
                        PrepayRequest.newBuilder()
                                .setStoreCode("001")
                                .setOutTradeNo(outTradeNo)
                                .setOrderId(order)
                                .setDescription("ScanOrder 001 bench")
                                .setAmountFen(1 + ThreadLocalRandom.current().nextInt(9_999))
                                .setPayerOpenid("oBench" + order)
                                .build());
        return outTradeNo;
    }

    private static double millis(long[] micros, int percentile) {
        if (micros.length == 0) {
            return 0;
        }
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1000.0;
    }

    private static long[] concat(long[] a, long[] b) {
        long[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
