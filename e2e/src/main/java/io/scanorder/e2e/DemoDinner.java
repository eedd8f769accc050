package io.scanorder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.ReaderException;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.scanorder.agent.emulator.PrintedJob;
import io.scanorder.proto.order.v1.AcceptOrderRequest;
import io.scanorder.proto.order.v1.Actor;
import io.scanorder.proto.order.v1.ActorKind;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.ListDeviceHealthRequest;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import io.scanorder.proto.order.v1.OrderState;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One scripted dinner on the local platform, through the same doors a real one uses: a phone scans
 * the table's QR code off the store's QR sheet, two diners log in through WeChat (the simulator)
 * and fill the table's shared cart, one orders it and pays with WeChat Pay, staff accept the order,
 * the tickets come out at the right stations (printer receipts saved as files), the cook bumps the
 * KDS ticket to READY and the LED board shows the pickup number. Each step is printed with its
 * time; any step that does not reach its outcome fails the dinner with a message saying what and
 * where.
 */
public final class DemoDinner {
    /** What the diners order: one hot dish (ticket printer) and a cold one (KDS tablet). */
    static final String HOT_SKU = "HOT-001-R";

    static final String COLD_SKU = "COLD-003-R";

    private static final Duration STEP_TIMEOUT = Duration.ofSeconds(45);

    private final LocalPlatform platform;
    private final PrintStream out;
    private final DinerApi diner;
    private final List<Step> steps = new ArrayList<>();

    /** One step: what it was, how long it took and what came of it. */
    public record Step(String name, Duration took, String outcome) {}

    /**
     * What the dinner produced, for tests and for the summary line.
     *
     * @param receipts every receipt file the printers wrote for this order, by device id
     * @param kdsTickets ticket ids the KDS showed for this order
     */
    public record Outcome(
            String scene,
            String tableCode,
            String orderId,
            String pickupNumber,
            long totalFen,
            String outTradeNo,
            Map<String, List<Path>> receipts,
            List<String> kdsTickets,
            List<String> ledShown,
            List<Step> steps) {}

    public DemoDinner(LocalPlatform platform, PrintStream out) {
        this.platform = platform;
        this.out = out;
        this.diner = new DinerApi(platform);
    }

    /**
     * Runs the dinner on a started platform, then stops the platform.
     *
     * @return the process exit code: 0 when every step reached its outcome, 1 otherwise
     */
    public static int runAndStop(LocalPlatform platform, PrintStream out, PrintStream err) {
        try {
            Outcome o = new DemoDinner(platform, out).run();
            out.printf(
                    "Demo dinner done: order %s, pickup number %s, %.2f yuan, %d steps in %d ms%n",
                    o.orderId(),
                    o.pickupNumber(),
                    o.totalFen() / 100.0,
                    o.steps().size(),
                    o.steps().stream().mapToLong(s -> s.took().toMillis()).sum());
            return 0;
        } catch (RuntimeException e) {
            err.println("Demo dinner FAILED: " + e.getMessage());
            return 1;
        } finally {
            out.println("ScanOrder local platform: stopping");
            platform.close();
        }
    }

    /**
     * Runs every step in order.
     *
     * @throws IllegalStateException naming the step that failed and why
     */
    public Outcome run() {
        String storeCode = platform.examples().storeCode();
        out.println("Demo dinner at store " + storeCode + ":");

        step(
                "kitchen devices report online",
                () -> {
                    int expected = platform.devices().size();
                    int online = awaitValue(() -> onlineDevices(storeCode), n -> n == expected);
                    return online + " of " + expected + " devices online at the order service";
                });

        String scene = step("scan the table QR code", this::scanFirstTable);
        JsonNode table = diner.table(scene).expect(200);
        String tableCode = table.path("tableCode").asText();
        out.printf(
                "      table %s in %s, table code %s%n",
                table.path("tableNo").asText(), table.path("areaName").asText(), tableCode);

        String[] tokens = new String[2];
        step(
                "two diners log in with WeChat",
                () -> {
                    tokens[0] = diner.login("o-demo-diner-ada", scene);
                    tokens[1] = diner.login("o-demo-diner-bo", scene);
                    return "o-demo-diner-ada and o-demo-diner-bo have sessions at the table";
                });

        long[] cartVersion = new long[1];
        long[] cartTotal = new long[1];
        step(
                "both diners fill the shared cart",
                () -> {
                    diner.addToCart(scene, tokens[0], HOT_SKU, 1, "Ada").expect(200);
                    diner.addToCart(scene, tokens[1], COLD_SKU, 2, "Bo").expect(200);
                    JsonNode cart = diner.cart(scene, tokens[0]).expect(200);
                    List<String> skus = cart.path("lines").findValuesAsText("sku");
                    if (!skus.containsAll(List.of(HOT_SKU, COLD_SKU))) {
                        throw new IllegalStateException(
                                "the table's cart shows " + skus + ", not both diners' lines");
                    }
                    cartVersion[0] = cart.path("version").asLong();
                    cartTotal[0] = cart.path("totalFen").asLong();
                    return cart.path("itemCount").asInt()
                            + " items, "
                            + cartTotal[0]
                            + " fen, cart version "
                            + cartVersion[0];
                });

        JsonNode placed =
                step(
                        "order the cart (cartVersion " + cartVersion[0] + ")",
                        () -> {
                            JsonNode o =
                                    diner.orderCart(
                                                    scene,
                                                    tokens[0],
                                                    cartVersion[0],
                                                    2,
                                                    "demo-" + UUID.randomUUID())
                                            .expect(201);
                            expectState(o, "PENDING_PAYMENT");
                            if (o.path("totalFen").asLong() != cartTotal[0]) {
                                throw new IllegalStateException(
                                        "order total "
                                                + o.path("totalFen").asLong()
                                                + " fen differs from the cart's "
                                                + cartTotal[0]);
                            }
                            return o;
                        },
                        o ->
                                "order "
                                        + o.path("orderId").asText()
                                        + ", pickup number "
                                        + o.path("pickupNumber").asText()
                                        + ", PENDING_PAYMENT");
        String orderId = placed.path("orderId").asText();
        String pickup = placed.path("pickupNumber").asText();
        long totalFen = placed.path("totalFen").asLong();

        String outTradeNo =
                step(
                        "pay with WeChat Pay",
                        () -> {
                            JsonNode params = diner.startPayment(orderId, tokens[0]).expect(200);
                            String tradeNo = params.path("outTradeNo").asText();
                            diner.payerPays(tradeNo).expect(200);
                            awaitOrderState(orderId, tokens[0], "PAID");
                            return tradeNo;
                        },
                        t -> "prepaid and paid as " + t + "; the notification made the order PAID");

        step(
                "staff accept the order",
                () -> {
                    accept(orderId);
                    return "ACCEPTED by staff demo-staff; tickets written";
                });

        KitchenSide.RunningDevice hotPrinter = primaryFor("hot", "printer");
        KitchenSide.RunningDevice kds = primaryFor("cold", "kds-tablet");
        List<String> kdsTickets = new ArrayList<>();
        step(
                "tickets reach their stations",
                () -> {
                    awaitValue(() -> jobsFor(hotPrinter, pickup).size(), n -> n >= 1);
                    Path receipt =
                            awaitValue(() -> receiptFor(hotPrinter.id(), pickup), p -> p != null);
                    List<String> ids =
                            awaitValue(() -> kdsTicketIds(kds, pickup), l -> !l.isEmpty());
                    kdsTickets.addAll(ids);
                    return "hot ticket printed on "
                            + hotPrinter.id()
                            + " (receipt "
                            + receipt
                            + "), cold ticket on "
                            + kds.id();
                });

        step(
                "cook bumps the KDS ticket to READY",
                () -> {
                    for (String ticket : kdsTickets) {
                        bump(kds, ticket, "COOKING");
                        bump(kds, ticket, "READY");
                    }
                    awaitOrderState(orderId, tokens[0], "READY");
                    return "order READY";
                });

        KitchenSide.RunningDevice led =
                platform.devices().stream()
                        .filter(d -> d.board() != null)
                        .findFirst()
                        .orElseThrow(() -> new IllegalStateException("the store has no LED board"));
        List<String> shown =
                step(
                        "LED board shows the pickup number",
                        () -> awaitValue(() -> led.board().shown(), l -> l.contains(pickup)),
                        l -> led.id() + " shows " + l);

        Map<String, List<Path>> receipts = new java.util.TreeMap<>();
        for (KitchenSide.RunningDevice d : platform.devices()) {
            if (d.printer() != null) {
                receipts.put(d.id(), receiptsFor(d.id(), pickup));
            }
        }
        return new Outcome(
                scene,
                tableCode,
                orderId,
                pickup,
                totalFen,
                outTradeNo,
                receipts,
                List.copyOf(kdsTickets),
                shown,
                List.copyOf(steps));
    }

    /** The steps run so far, with their times. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    private String step(String name, Callable<String> body) {
        return step(name, body, s -> s);
    }

    private <T> T step(
            String name, Callable<T> body, java.util.function.Function<T, String> describe) {
        long start = System.nanoTime();
        T result;
        try {
            result = body.call();
        } catch (Exception e) {
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            out.printf("  [%6d ms] %-40s FAILED%n", took.toMillis(), name);
            throw new IllegalStateException(
                    "step '"
                            + name
                            + "' failed after "
                            + took.toMillis()
                            + " ms: "
                            + e.getMessage(),
                    e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        String outcome = describe.apply(result);
        steps.add(new Step(name, took, outcome));
        out.printf("  [%6d ms] %-40s %s%n", took.toMillis(), name, outcome);
        return result;
    }

    /** Reads the store's QR sheet image and decodes the first table's card, as a phone would. */
    String scanFirstTable() throws IOException, InterruptedException {
        String url = platform.qrSheetImageUrl();
        BufferedImage sheet = platform.qrSheetImage();
        String payload = decodeQr(sheet, url);
        int at = payload.indexOf("scene=");
        if (at < 0) {
            throw new IllegalStateException(
                    "the QR code on " + url + " holds '" + payload + "', which has no scene=");
        }
        return payload.substring(at + "scene=".length());
    }

    /** The QR code of the sheet's first card (the cards are 480 x 640 pixels, left to right). */
    static String decodeQr(BufferedImage sheet, String where) {
        BufferedImage card =
                sheet.getSubimage(
                        0, 0, Math.min(480, sheet.getWidth()), Math.min(640, sheet.getHeight()));
        int w = card.getWidth();
        int h = card.getHeight();
        int[] pixels = card.getRGB(0, 0, w, h, null, 0, w);
        BinaryBitmap bitmap =
                new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, pixels)));
        try {
            return new QRCodeReader()
                    .decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE))
                    .getText();
        } catch (NotFoundException e) {
            throw new IllegalStateException("no QR code found on the first card of " + where, e);
        } catch (ReaderException e) {
            throw new IllegalStateException("the QR code on " + where + " cannot be read: " + e, e);
        }
    }

    private int onlineDevices(String storeCode) {
        ManagedChannel channel = channel();
        try {
            return DeviceRegistryGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .listDeviceHealth(
                            ListDeviceHealthRequest.newBuilder().setStoreCode(storeCode).build())
                    .getOnlineCount();
        } finally {
            channel.shutdownNow();
        }
    }

    private void accept(String orderId) {
        ManagedChannel channel = channel();
        try {
            var order =
                    OrderServiceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .acceptOrder(
                                    AcceptOrderRequest.newBuilder()
                                            .setOrderId(orderId)
                                            .setActor(
                                                    Actor.newBuilder()
                                                            .setKind(ActorKind.ACTOR_KIND_STAFF)
                                                            .setId("demo-staff"))
                                            .build());
            if (order.getState() != OrderState.ORDER_STATE_ACCEPTED
                    && order.getState() != OrderState.ORDER_STATE_DISPATCHING) {
                throw new IllegalStateException(
                        "AcceptOrder " + orderId + " left the order " + order.getState());
            }
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException(
                    "AcceptOrder " + orderId + " refused: " + e.getStatus(), e);
        } finally {
            channel.shutdownNow();
        }
    }

    private void awaitOrderState(String orderId, String token, String state) {
        String last =
                awaitValue(
                        () -> diner.order(orderId, token).expect(200).path("state").asText(),
                        s -> s.equals(state));
        if (!last.equals(state)) {
            throw new IllegalStateException("order " + orderId + " is " + last + ", not " + state);
        }
    }

    private static void expectState(JsonNode order, String state) {
        if (!order.path("state").asText().equals(state)) {
            throw new IllegalStateException(
                    "order "
                            + order.path("orderId").asText()
                            + " is "
                            + order.path("state").asText()
                            + ", not "
                            + state);
        }
    }

    private KitchenSide.RunningDevice primaryFor(String station, String type) {
        return platform.devices().stream()
                .filter(d -> d.type().equals(type))
                .filter(d -> d.role().equals("primary"))
                .filter(d -> d.stations().contains(station))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalStateException(
                                        "the example store has no primary "
                                                + type
                                                + " for station "
                                                + station));
    }

    /** Printed jobs of {@code printer} that carry the pickup number. */
    static List<PrintedJob> jobsFor(KitchenSide.RunningDevice printer, String pickup) {
        return printer.printer().jobs().stream().filter(j -> j.text().contains(pickup)).toList();
    }

    private Path receiptFor(String deviceId, String pickup) throws IOException {
        List<Path> found = receiptsFor(deviceId, pickup);
        return found.isEmpty() ? null : found.get(0);
    }

    /** Receipt files of {@code deviceId} that carry the pickup number. */
    List<Path> receiptsFor(String deviceId, String pickup) {
        Path dir = platform.receiptsDir();
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (var files = Files.newDirectoryStream(dir, deviceId + "-*.txt")) {
            for (Path f : files) {
                if (Files.readString(f).contains(pickup)) {
                    found.add(f.toAbsolutePath());
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the receipts in " + dir, e);
        }
        found.sort(null);
        return found;
    }

    /** Ticket ids on the KDS page ({@code GET /api/tickets}) for the pickup number. */
    List<String> kdsTicketIds(KitchenSide.RunningDevice kds, String pickup) {
        JsonNode page =
                diner.get("http://127.0.0.1:" + kds.kds().pagePort() + "/api/tickets", null)
                        .expect(200);
        List<String> ids = new ArrayList<>();
        for (JsonNode t : page.path("tickets")) {
            if (t.path("orderNo").asText().equals(pickup)) {
                ids.add(t.path("ticketId").asText());
            }
        }
        return ids;
    }

    private void bump(KitchenSide.RunningDevice kds, String ticketId, String expected) {
        JsonNode r =
                diner.post(
                                "http://127.0.0.1:"
                                        + kds.kds().pagePort()
                                        + "/api/tickets/"
                                        + DinerApi.encode(ticketId)
                                        + "/bump",
                                null,
                                null,
                                null)
                        .expect(200);
        if (!r.path("status").asText().equals(expected)) {
            throw new IllegalStateException(
                    "bumping ticket "
                            + ticketId
                            + " on "
                            + kds.id()
                            + " made it "
                            + r.path("status").asText()
                            + ", not "
                            + expected);
        }
    }

    private ManagedChannel channel() {
        return ManagedChannelBuilder.forAddress("127.0.0.1", platform.orderGrpcPort())
                .usePlaintext()
                .build();
    }

    /**
     * Polls {@code read} until {@code done} holds, for at most the step timeout; returns the last
     * value (failing with it when the time is up).
     */
    static <T> T awaitValue(Callable<T> read, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        T last = null;
        Exception error = null;
        while (true) {
            try {
                last = read.call();
                error = null;
                if (done.test(last)) {
                    return last;
                }
            } catch (Exception e) {
                error = e;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "still not there after "
                                + STEP_TIMEOUT.toSeconds()
                                + " s; last seen: "
                                + (error != null ? error.getMessage() : String.valueOf(last)));
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
    }
}
