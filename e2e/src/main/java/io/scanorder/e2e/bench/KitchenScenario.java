package io.scanorder.e2e.bench;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.scanorder.agent.emulator.PrintedJob;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.e2e.ExampleManifests;
import io.scanorder.e2e.LocalPlatform;
import io.scanorder.proto.order.v1.AcceptOrderRequest;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderLineInput;
import io.scanorder.proto.order.v1.OrderPaymentsGrpc;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.PlaceOrderRequest;
import io.scanorder.proto.order.v1.RecordPaymentRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Order accepted -> ticket printed, through the real platform: staff place an order (gRPC
 * PlaceOrder), the payment service's path records its payment (OrderPayments/RecordPayment, which
 * moves it to PAID), staff accept it (AcceptOrder), and the clock stops when the printer emulator
 * behind the station's device agent cuts the ticket. Orders arrive at a steady rate.
 */
final class KitchenScenario {
    static final String NAME = "kitchen";

    /** The marker each order carries in its line note, printed on the ticket. */
    private static final Pattern MARKER = Pattern.compile("bk-(\\d{6})");

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PRINT_TIMEOUT = Duration.ofSeconds(60);
    private static final String STATION = "hot";

    private KitchenScenario() {}

    static void run(LocalPlatform platform, BenchSettings settings, BenchReport report)
            throws Exception {
        ExampleManifests examples = platform.examples();
        String storeCode = examples.storeCode();
        String sku = BenchTables.orderableSku(examples, STATION);
        List<String> tables =
                BenchTables.scenes(platform).stream().map(BenchTables::tableCode).toList();

        Map<Integer, Long> printedAt = new ConcurrentHashMap<>();
        List<PrinterEmulator> printers = platform.printerEmulators();
        if (printers.isEmpty()) {
            throw new IllegalStateException(
                    "the local platform runs no printer emulator; the example store needs a"
                            + " printer for station "
                            + STATION);
        }
        for (PrinterEmulator printer : printers) {
            printer.onJob(job -> marker(job, printedAt));
        }

        int orders = settings.orders();
        long[] acceptedAt = new long[orders];
        Histogram place = Latency.newHistogram();
        Histogram pay = Latency.newHistogram();
        Histogram accept = Latency.newHistogram();
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<Throwable> firstError = new AtomicReference<>();
        AtomicInteger accepted = new AtomicInteger();
        Map<Status.Code, AtomicInteger> acceptFailures = new ConcurrentHashMap<>();

        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", platform.orderGrpcPort())
                        .usePlaintext()
                        .build();
        ExecutorService workers = Executors.newFixedThreadPool(8);
        ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();
        Actor staff =
                Actor.newBuilder().setKind(ActorKind.ACTOR_KIND_STAFF).setId("bench-staff").build();
        try {
            var orderService = OrderServiceGrpc.newBlockingStub(channel);
            var payments = OrderPaymentsGrpc.newBlockingStub(channel);
            long periodNanos = (long) (1e9 / settings.ordersPerSecond());
            AtomicInteger next = new AtomicInteger();
            long firstAt = System.nanoTime();
            var pacing =
                    pacer.scheduleAtFixedRate(
                            () -> {
                                int i = next.getAndIncrement();
                                if (i >= orders) {
                                    return;
                                }
                                workers.execute(
                                        () -> {
                                            try {
                                                long t0 = System.nanoTime();
                                                Order order =
                                                        orderService
                                                                .withDeadlineAfter(
                                                                        CALL_TIMEOUT.toMillis(),
                                                                        TimeUnit.MILLISECONDS)
                                                                .placeOrder(
                                                                        placeRequest(
                                                                                storeCode, tables,
                                                                                sku, staff, i));
                                                long t1 = System.nanoTime();
                                                Latency.recordNanos(place, t1 - t0);
                                                payments.withDeadlineAfter(
                                                                CALL_TIMEOUT.toMillis(),
                                                                TimeUnit.MILLISECONDS)
                                                        .recordPayment(paid(order, i));
                                                long t2 = System.nanoTime();
                                                Latency.recordNanos(pay, t2 - t1);
                                                accept(
                                                        orderService,
                                                        order.getOrderId(),
                                                        staff,
                                                        acceptFailures);
                                                long t3 = System.nanoTime();
                                                Latency.recordNanos(accept, t3 - t2);
                                                acceptedAt[i] = t3;
                                                accepted.incrementAndGet();
                                            } catch (RuntimeException e) {
                                                failed.incrementAndGet();
                                                firstError.compareAndSet(null, e);
                                            }
                                        });
                            },
                            0,
                            periodNanos,
                            TimeUnit.NANOSECONDS);
            // Every order offered, every call answered, then every ticket printed (or given up).
            while (next.get() < orders) {
                Thread.sleep(100);
            }
            pacing.cancel(false);
            workers.shutdown();
            workers.awaitTermination(2, TimeUnit.MINUTES);
            double offeredSeconds = (System.nanoTime() - firstAt) / 1e9;
            long waitUntil = System.nanoTime() + PRINT_TIMEOUT.toNanos();
            while (printedAt.size() < accepted.get() && System.nanoTime() < waitUntil) {
                Thread.sleep(100);
            }

            Histogram toPrint = Latency.newHistogram();
            int early = 0;
            for (int i = 0; i < orders; i++) {
                Long printed = printedAt.get(i);
                if (acceptedAt[i] == 0 || printed == null) {
                    continue;
                }
                long nanos = printed - acceptedAt[i];
                if (nanos < 0) {
                    // The dispatcher beat the AcceptOrder response back to the client.
                    early++;
                }
                Latency.recordNanos(toPrint, Math.max(0, nanos));
            }
            int notPrinted = accepted.get() - (int) toPrint.getTotalCount();
            String problems =
                    (failed.get() == 0 ? "" : "; " + failed + " orders failed: " + firstError.get())
                            + (notPrinted == 0
                                    ? ""
                                    : "; "
                                            + notPrinted
                                            + " accepted orders never printed within "
                                            + PRINT_TIMEOUT.toSeconds()
                                            + " s")
                            + (early == 0 ? "" : "; " + early + " printed before accept returned");
            report.add(
                    new Measurement(
                            NAME,
                            "order accepted -> ticket printed",
                            toPrint.getTotalCount(),
                            "tickets",
                            Latency.ofMicros(toPrint),
                            null,
                            null,
                            orders
                                    + " orders at "
                                    + settings.ordersPerSecond()
                                    + "/s; AcceptOrder returned -> printer emulator cut the"
                                    + " ticket (order service outbox -> MQTT -> device agent ->"
                                    + " ESC/POS)"
                                    + problems));
            report.add(
                    new Measurement(
                            NAME,
                            "orders placed, paid and accepted",
                            accepted.get() / offeredSeconds,
                            "orders/s",
                            null,
                            null,
                            null,
                            accepted.get() + " of " + orders + " in " + secs(offeredSeconds)));
            report.add(latencyOnly("PlaceOrder (gRPC, staff)", place));
            report.add(latencyOnly("RecordPayment (gRPC)", pay));
            report.add(latencyOnly("AcceptOrder (gRPC)", accept));
            report.add(acceptFailures(acceptFailures, orders));
        } finally {
            pacer.shutdownNow();
            workers.shutdownNow();
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Calls AcceptOrder; a refusal is counted by status code and thrown on. */
    private static void accept(
            OrderServiceGrpc.OrderServiceBlockingStub orderService,
            String orderId,
            Actor staff,
            Map<Status.Code, AtomicInteger> failures) {
        try {
            orderService
                    .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .acceptOrder(
                            AcceptOrderRequest.newBuilder()
                                    .setOrderId(orderId)
                                    .setActor(staff)
                                    .build());
        } catch (StatusRuntimeException e) {
            failures.computeIfAbsent(e.getStatus().getCode(), k -> new AtomicInteger())
                    .incrementAndGet();
            throw e;
        }
    }

    /**
     * AcceptOrder calls that failed (ABORTED = a transaction conflict the service gave up on), with
     * the share of all orders and the count per status code in the note.
     */
    static Measurement acceptFailures(Map<Status.Code, AtomicInteger> failures, int orders) {
        int total = failures.values().stream().mapToInt(AtomicInteger::get).sum();
        int aborted = failures.getOrDefault(Status.Code.ABORTED, new AtomicInteger()).get();
        StringBuilder note =
                new StringBuilder()
                        .append(total)
                        .append(" of ")
                        .append(orders)
                        .append(" orders (")
                        .append(BenchReport.number(orders == 0 ? 0 : 100.0 * total / orders))
                        .append(" %); ABORTED ")
                        .append(aborted);
        new TreeMap<>(failures)
                .forEach(
                        (code, n) -> {
                            if (code != Status.Code.ABORTED) {
                                note.append(", ").append(code).append(' ').append(n.get());
                            }
                        });
        return Measurement.of(NAME, "AcceptOrder failures", total, "calls", note.toString());
    }

    private static Measurement latencyOnly(String metric, Histogram h) {
        Latency l = Latency.ofMicros(h);
        return new Measurement(NAME, metric, l.count(), "calls", l, null, null, "");
    }

    private static String secs(double s) {
        return BenchReport.number(s) + " s";
    }

    private static void marker(PrintedJob job, Map<Integer, Long> printedAt) {
        long now = System.nanoTime();
        Matcher m = MARKER.matcher(job.text());
        if (m.find()) {
            printedAt.putIfAbsent(Integer.parseInt(m.group(1)), now);
        }
    }

    private static PlaceOrderRequest placeRequest(
            String storeCode, List<String> tables, String sku, Actor staff, int i) {
        return PlaceOrderRequest.newBuilder()
                .setStoreCode(storeCode)
                .setTableCode(tables.get(i % tables.size()))
                .setIdempotencyKey("bench-kitchen-" + i)
                .setPlacedBy(staff)
                .addLines(
                        OrderLineInput.newBuilder()
                                .setSkuCode(sku)
                                .setQuantity(1)
                                .setNote(String.format("bk-%06d", i)))
                .build();
    }

    private static RecordPaymentRequest paid(Order order, int i) {
        Instant now = Instant.now();
        return RecordPaymentRequest.newBuilder()
                .setOrderId(order.getOrderId())
                .setStoreCode(order.getStoreCode())
                .setPaidFen(order.getTotalFen())
                .setOutTradeNo("bench-" + i + "_1")
                .setTransactionId(String.format("42000099%020d", i))
                .setPaidAt(
                        Timestamp.newBuilder()
                                .setSeconds(now.getEpochSecond())
                                .setNanos(now.getNano()))
                .build();
    }
}
