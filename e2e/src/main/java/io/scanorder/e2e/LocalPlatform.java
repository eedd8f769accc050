package io.scanorder.e2e;

import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.crds.v1alpha1.PaymentMode;
import io.scanorder.operator.MenuPublisher;
import io.scanorder.operator.StorePublisher;
import io.scanorder.operator.model.ServiceWorkloads;
import io.scanorder.testkit.EmbeddedPostgres;
import io.scanorder.testkit.EmbeddedRedis;
import io.scanorder.testkit.FreePorts;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.wechatsim.WeChatSimulator;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.imageio.ImageIO;

/**
 * The whole platform on one machine on embedded defaults: PostgreSQL, Redis, HiveMQ with the
 * ScanOrder extension, the WeChat simulator, the order and payment services as child JVMs, and the
 * kitchen side of the example store in {@code crds/examples}: its tables registered, its menu
 * published and a real device agent for every KitchenDevice (printer and LED-board emulators, the
 * KDS page). Everything listens on 127.0.0.1 on free ports and is thrown away on exit, except the
 * store's QR sheet, which is written to the output folder.
 */
public final class LocalPlatform implements AutoCloseable {
    /** The mini-program the simulator knows; local mode only, not a secret anywhere else. */
    public static final String DEMO_APP_ID = "wx5c0de00000000001";

    public static final String ORDER_DATABASE = "scanorder_order";
    public static final String PAYMENT_DATABASE = "scanorder_payment";

    /** The broker service account the order service dispatches tickets with. */
    public static final String ORDER_BROKER_USER = "order-service";

    /** The demo merchant the simulator knows; local mode only. */
    public static final String DEMO_MCH_ID = "1900000001";

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(90);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private int orderGrpcPort;
    private int orderHttpPort;
    private int paymentHttpPort;
    private int paymentGrpcPort;
    private ExampleManifests examples;
    private String menuRevision;
    private int menuItems;
    private int tablesInService;
    private List<KitchenSide.RunningDevice> devices = List.of();
    private Path qrSheet;
    private Path receiptsDir;

    private LocalPlatform() {}

    /**
     * Starts every part and waits until the services report ready.
     *
     * @param examplesDir the manifests to run ({@code crds/examples})
     * @param outputDir where files meant for people go (the QR sheet)
     * @param serviceOutput where the services' own log lines go (null to drop them)
     */
    public static LocalPlatform start(
            Path orderJar,
            Path paymentJar,
            Path examplesDir,
            Path outputDir,
            PrintStream serviceOutput)
            throws IOException, InterruptedException {
        // Read first: a broken manifest should fail before anything starts.
        ExampleManifests examples = ExampleManifests.load(examplesDir);
        LocalPlatform platform = new LocalPlatform();
        platform.examples = examples;
        try {
            platform.startAll(orderJar, paymentJar, serviceOutput);
            platform.startKitchen(outputDir);
            return platform;
        } catch (IOException | InterruptedException | RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private Path workDir;
    private EmbeddedPostgres postgres;
    private EmbeddedRedis redis;
    private MqttBroker broker;

    private void startAll(Path orderJar, Path paymentJar, PrintStream serviceOutput)
            throws IOException, InterruptedException {
        workDir = Files.createTempDirectory("scanorder-local-");
        started.push(() -> deleteRecursively(workDir));

        postgres = EmbeddedPostgres.launch();
        started.push(postgres);
        postgres.createDatabase(ORDER_DATABASE);
        postgres.createDatabase(PAYMENT_DATABASE);
        endpoints.put("PostgreSQL", postgres.jdbcUrl(ORDER_DATABASE));

        redis = EmbeddedRedis.launch();
        started.push(redis);
        endpoints.put("Redis", redis.uri());

        broker = MqttBroker.shared();
        endpoints.put("MQTT broker (HiveMQ CE)", broker.uri());

        String appSecret = randomHex(16);
        WeChatSimulator wechat = WeChatSimulator.start(0).registerApp(DEMO_APP_ID, appSecret);
        started.push(wechat);
        endpoints.put("WeChat simulator", wechat.baseUrl());

        orderGrpcPort = FreePorts.loopback();
        orderHttpPort = FreePorts.loopback();
        // Chosen up front: each service is told where the other one's gRPC server listens.
        paymentGrpcPort = FreePorts.loopback();
        Map<String, String> order = new LinkedHashMap<>();
        order.put("quarkus.http.host", "127.0.0.1");
        order.put("quarkus.http.port", Integer.toString(orderHttpPort));
        order.put("quarkus.grpc.server.host", "127.0.0.1");
        order.put("quarkus.grpc.server.port", Integer.toString(orderGrpcPort));
        order.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(ORDER_DATABASE));
        order.put("quarkus.datasource.username", postgres.user());
        order.put("quarkus.datasource.password", postgres.password());
        order.put("quarkus.redis.hosts", redis.uri());
        // Diner login goes to the simulator's code2session with the demo mini-program.
        order.put("scanorder.wechat.app-id", DEMO_APP_ID);
        order.put("scanorder.wechat.secret", appSecret);
        order.put("scanorder.wechat.api-host-url", wechat.baseUrl());
        order.put("scanorder.diner.sessions.signing-key", randomBase64(32));
        // Kitchen dispatch: the order service talks to the devices through the broker as a
        // service account, as in a cluster.
        String orderBrokerPassword = randomHex(16);
        broker.addServiceAccount(ORDER_BROKER_USER, orderBrokerPassword);
        order.put("scanorder.kitchen.mqtt.uri", broker.uri());
        order.put("scanorder.kitchen.mqtt.username", ORDER_BROKER_USER);
        order.put("scanorder.kitchen.mqtt.password", orderBrokerPassword);
        // Diners' payments are started through the payment service's gRPC server.
        order.put("scanorder.payment.grpc.host", "127.0.0.1");
        order.put("scanorder.payment.grpc.port", Integer.toString(paymentGrpcPort));
        ServiceProcess orderService = ServiceProcess.start("order", orderJar, order, serviceOutput);
        started.push(orderService);

        paymentHttpPort = FreePorts.loopback();
        Map<String, String> payment = new LinkedHashMap<>();
        payment.put("quarkus.http.host", "127.0.0.1");
        payment.put("quarkus.http.port", Integer.toString(paymentHttpPort));
        payment.put("quarkus.grpc.server.host", "127.0.0.1");
        payment.put("quarkus.grpc.server.port", Integer.toString(paymentGrpcPort));
        // Recorded payments are reported to the order service (OrderPayments/RecordPayment).
        payment.put("scanorder.payment.order-service.host", "127.0.0.1");
        payment.put("scanorder.payment.order-service.port", Integer.toString(orderGrpcPort));
        payment.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(PAYMENT_DATABASE));
        payment.put("quarkus.datasource.username", postgres.user());
        payment.put("quarkus.datasource.password", postgres.password());
        payment.putAll(demoMerchant(workDir, wechat, paymentHttpPort));
        payment.putAll(paymentMode(examples, wechat));
        ServiceProcess paymentService =
                ServiceProcess.start("payment", paymentJar, payment, serviceOutput);
        started.push(paymentService);

        orderService.awaitReady(
                URI.create("http://127.0.0.1:" + orderHttpPort + "/q/health/ready"),
                SERVICE_START_TIMEOUT);
        endpoints.put("Order service gRPC", "127.0.0.1:" + orderGrpcPort);
        endpoints.put("Order service HTTP", "http://127.0.0.1:" + orderHttpPort);
        paymentService.awaitReady(
                URI.create("http://127.0.0.1:" + paymentHttpPort + "/q/health/ready"),
                SERVICE_START_TIMEOUT);
        endpoints.put("Payment service gRPC", "127.0.0.1:" + paymentGrpcPort);
        endpoints.put("Payment service HTTP", "http://127.0.0.1:" + paymentHttpPort);
    }

    /**
     * The example store's kitchen side, in the order a cluster brings it up: tables, menu, device
     * registrations, then the agents, which connect to the broker with their own credentials.
     */
    private void startKitchen(Path outputDir) throws IOException, InterruptedException {
        StorePublisher.Outcome applied = KitchenSide.applyStore(examples, orderGrpcPort);
        tablesInService = applied.enabledTables();
        MenuPublisher.Outcome published = KitchenSide.publishMenu(examples, orderGrpcPort);
        menuRevision = published.revisionHash();
        menuItems = published.itemCount();
        KitchenSide.registerDevices(examples, orderGrpcPort);
        receiptsDir = outputDir.resolve("receipts").toAbsolutePath();
        devices =
                List.copyOf(
                        KitchenSide.startAgents(examples, broker, workDir, receiptsDir, started));
        qrSheet = downloadQrSheet(outputDir);
    }

    /** Fetches the store's QR sheet from the order service, as a store manager would print it. */
    private Path downloadQrSheet(Path outputDir) throws IOException, InterruptedException {
        URI url =
                URI.create(
                        "http://127.0.0.1:"
                                + orderHttpPort
                                + "/api/v1/stores/"
                                + examples.storeCode()
                                + "/qr-sheet.pdf");
        HttpResponse<byte[]> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        byte[] pdf = response.body();
        if (response.statusCode() != 200
                || pdf.length < 5
                || !new String(pdf, 0, 5, StandardCharsets.US_ASCII).equals("%PDF-")) {
            throw new IllegalStateException(
                    "GET "
                            + url
                            + " answered "
                            + response.statusCode()
                            + " without a PDF: "
                            + new String(
                                    pdf, 0, Math.min(pdf.length, 300), StandardCharsets.UTF_8));
        }
        Files.createDirectories(outputDir);
        Path file = outputDir.resolve("qr-sheet-" + examples.storeCode() + ".pdf");
        Files.write(file, pdf);
        return file.toAbsolutePath();
    }

    /**
     * A throw-away merchant for local mode: a fresh RSA key and API v3 key written to the work
     * folder and registered with the simulator, which the payment service is pointed at and which
     * sends its notifications to the payment service's HTTP port.
     */
    private static Map<String, String> demoMerchant(
            Path workDir, WeChatSimulator wechat, int paymentHttpPort) throws IOException {
        KeyPair keyPair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            keyPair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK cannot generate RSA keys", e);
        }
        Path privateKey = workDir.resolve("apiclient_key.pem");
        String pem =
                "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(keyPair.getPrivate().getEncoded())
                        + "\n-----END PRIVATE KEY-----\n";
        Files.writeString(privateKey, pem);
        Path apiV3Key = workDir.resolve("api-v3-key");
        String apiV3KeyValue = randomHex(16);
        Files.writeString(apiV3Key, apiV3KeyValue);
        String serial = randomHex(20).toUpperCase();
        wechat.pay()
                .registerMerchant(
                        DEMO_MCH_ID, DEMO_APP_ID, keyPair.getPublic(), serial, apiV3KeyValue);

        Map<String, String> merchant = new LinkedHashMap<>();
        String prefix = "scanorder.payment.merchant.";
        merchant.put(prefix + "mch-id", DEMO_MCH_ID);
        merchant.put(prefix + "app-id", DEMO_APP_ID);
        merchant.put(prefix + "merchant-serial-number", serial);
        merchant.put(prefix + "private-key-path", privateKey.toString());
        merchant.put(prefix + "api-v3-key-ref", "file:" + apiV3Key);
        merchant.put(
                prefix + "notify-url",
                "http://127.0.0.1:" + paymentHttpPort + "/wechat/pay/notify");
        merchant.put(prefix + "wechat-base-url", wechat.baseUrl());
        // Data keys for payer openids and transaction ids at rest, as the operator's
        // <store>-payment-data Secret provides them in a cluster: base64 of 32 random bytes each.
        for (String key : new String[] {"k1", "lookup"}) {
            Files.writeString(workDir.resolve("payment-data-" + key), randomBase64(32) + "\n");
        }
        merchant.put("scanorder.payment.encryption.current-key-id", "k1");
        merchant.put(
                "scanorder.payment.encryption.keys.k1",
                "file:" + workDir.resolve("payment-data-k1"));
        merchant.put(
                "scanorder.payment.encryption.lookup-key-ref",
                "file:" + workDir.resolve("payment-data-lookup"));
        return merchant;
    }

    /**
     * The example Store's payment mode, as the operator's ServiceWorkloads passes it to the payment
     * service ({@code WECHAT_PAY_MODE}, {@code WECHAT_SUB_MCH_ID}); in service-provider mode the
     * demo merchant plays the provider and the Store's {@code subMchId} is bound to it in the
     * simulator, as the partner platform would have it.
     */
    private static Map<String, String> paymentMode(
            ExampleManifests examples, WeChatSimulator wechat) {
        String subMchId = subMchId(examples);
        if (subMchId == null) {
            return Map.of(ServiceWorkloads.PAY_MODE_ENV, "DIRECT");
        }
        wechat.pay().registerSubMerchant(DEMO_MCH_ID, subMchId);
        return Map.of(
                ServiceWorkloads.PAY_MODE_ENV,
                "SERVICE_PROVIDER",
                ServiceWorkloads.SUB_MCH_ID_ENV,
                subMchId);
    }

    /** The example Store's sub-merchant in service-provider mode; null in direct mode. */
    static String subMchId(ExampleManifests examples) {
        var payment = examples.store().getSpec().getPayment();
        return payment != null && payment.getMode() == PaymentMode.SERVICE_PROVIDER
                ? payment.getSubMchId()
                : null;
    }

    /** What listens where, in start order, for people and for tests. */
    public Map<String, String> endpoints() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
    }

    /** The manifests this platform runs. */
    public ExampleManifests examples() {
        return examples;
    }

    /** The example store's devices and where each one can be looked at. */
    public List<KitchenSide.RunningDevice> devices() {
        return devices;
    }

    /** The store's QR sheet (PDF) written at start. */
    public Path qrSheet() {
        return qrSheet;
    }

    /** Where every ticket the printer emulators print is saved as text. */
    public Path receiptsDir() {
        return receiptsDir;
    }

    /** Base URL of the diner REST API (what the mini-program calls). */
    public String dinerApiBaseUrl() {
        return "http://127.0.0.1:" + orderHttpPort + "/api/v1";
    }

    /**
     * One table of what runs where, for people: the APIs, the broker, every device, the QR sheet
     * and the metrics endpoints.
     */
    public String summary() {
        StringBuilder out = new StringBuilder();
        var store = examples.store();
        out.append(
                String.format(
                        "ScanOrder local platform: store %s %s (%s/%s), menu %s%n",
                        examples.storeCode(),
                        store.getSpec().getName(),
                        store.getMetadata().getNamespace(),
                        store.getMetadata().getName(),
                        examples.menu().getMetadata().getName()));
        String row = "  %-24s %s%n";
        out.append(String.format(row, "Diner API", dinerApiBaseUrl()));
        out.append(
                String.format(
                        row,
                        "Diner menu",
                        dinerApiBaseUrl() + "/stores/" + examples.storeCode() + "/menu"));
        out.append(String.format(row, "Order gRPC", "127.0.0.1:" + orderGrpcPort));
        out.append(String.format(row, "Payment gRPC", "127.0.0.1:" + paymentGrpcPort));
        out.append(String.format(row, "WeChat simulator", endpoints.get("WeChat simulator")));
        out.append(String.format(row, "MQTT broker", endpoints.get("MQTT broker (HiveMQ CE)")));
        out.append(String.format(row, "PostgreSQL", endpoints.get("PostgreSQL")));
        out.append(String.format(row, "Redis", endpoints.get("Redis")));
        out.append(
                String.format(
                        row,
                        "Menu",
                        examples.menu().getMetadata().getName()
                                + " published, revision "
                                + menuRevision.substring(0, Math.min(12, menuRevision.length()))
                                + ", "
                                + menuItems
                                + " items"));
        out.append(String.format(row, "Tables", tablesInService + " in service (StoreAdmin)"));
        out.append(String.format(row, "QR sheet", qrSheet));
        out.append(
                String.format(
                        row, "Order metrics", "http://127.0.0.1:" + orderHttpPort + "/q/metrics"));
        out.append(
                String.format(
                        row,
                        "Payment metrics",
                        "http://127.0.0.1:" + paymentHttpPort + "/q/metrics"));
        String deviceRow = "  %-24s %-11s %-10s %-8s %s%n";
        out.append(String.format(deviceRow, "DEVICE", "TYPE", "STATIONS", "ROLE", "WHERE"));
        for (KitchenSide.RunningDevice d : devices) {
            out.append(
                    String.format(
                            deviceRow,
                            d.id(),
                            d.type(),
                            String.join(",", d.stations()),
                            d.role(),
                            d.endpoint()));
        }
        return out.toString();
    }

    /** The platform's PostgreSQL (databases {@link #ORDER_DATABASE}, {@link #PAYMENT_DATABASE}). */
    public EmbeddedPostgres postgres() {
        return postgres;
    }

    /** The platform's Redis. */
    public EmbeddedRedis redis() {
        return redis;
    }

    /** The broker the services and the device agents use. */
    public MqttBroker broker() {
        return broker;
    }

    public int orderGrpcPort() {
        return orderGrpcPort;
    }

    public int orderHttpPort() {
        return orderHttpPort;
    }

    public int paymentHttpPort() {
        return paymentHttpPort;
    }

    public int paymentGrpcPort() {
        return paymentGrpcPort;
    }

    /** The service child process named {@code name} ({@code order} or {@code payment}). */
    public ServiceProcess service(String name) {
        return started.stream()
                .filter(ServiceProcess.class::isInstance)
                .map(ServiceProcess.class::cast)
                .filter(p -> p.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no service named " + name));
    }

    /**
     * Kills the named service with SIGKILL (no shutdown hooks, as when its node dies), starts it
     * again on the same ports with the same configuration and waits until it is ready.
     *
     * @return the new process
     */
    public ServiceProcess killAndRestart(String name) throws IOException, InterruptedException {
        ServiceProcess old = service(name);
        ProcessHandle.of(old.pid())
                .ifPresent(
                        p -> {
                            p.destroyForcibly();
                            p.onExit().join();
                        });
        ServiceProcess fresh = old.relaunch();
        started.remove(old);
        started.push(fresh);
        int httpPort = name.equals("order") ? orderHttpPort : paymentHttpPort;
        fresh.awaitReady(
                URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"),
                SERVICE_START_TIMEOUT);
        return fresh;
    }

    /** The printer emulators behind the example printers, e.g. to see when a ticket is printed. */
    public List<PrinterEmulator> printerEmulators() {
        return started.stream()
                .filter(PrinterEmulator.class::isInstance)
                .map(PrinterEmulator.class::cast)
                .toList();
    }

    /**
     * The in-process agent of printer {@code deviceId}, for drills that stop it, run the device
     * elsewhere and start it again.
     */
    PrinterAgent printerAgent(String deviceId) {
        return started.stream()
                .filter(PrinterAgent.class::isInstance)
                .map(PrinterAgent.class::cast)
                .filter(a -> a.deviceId().equals(deviceId))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no printer agent for " + deviceId));
    }

    /** The URL of the example store's QR sheet as a PNG image. */
    public String qrSheetImageUrl() {
        return "http://127.0.0.1:"
                + orderHttpPort()
                + "/api/v1/stores/"
                + examples().storeCode()
                + "/qr-sheet.png";
    }

    /** The example store's QR sheet as the order service draws it now, as a phone would see it. */
    public BufferedImage qrSheetImage() throws IOException, InterruptedException {
        String url = qrSheetImageUrl();
        HttpResponse<byte[]> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create(url))
                                        .timeout(Duration.ofSeconds(30))
                                        .build(),
                                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("GET " + url + " answered " + response.statusCode());
        }
        BufferedImage sheet = ImageIO.read(new ByteArrayInputStream(response.body()));
        if (sheet == null) {
            throw new IllegalStateException("GET " + url + " did not answer a readable image");
        }
        return sheet;
    }

    /** Stops everything in reverse start order; one failure does not keep the rest running. */
    @Override
    public void close() {
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                System.err.println("local platform: error while stopping a component: " + e);
            }
        }
    }

    private static String randomBase64(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Entry point of the README's run command. */
    public static void main(String[] args) throws Exception {
        boolean demo = false;
        for (String arg : args) {
            // Maven passes an empty argument when no -Dlocal.args is given.
            if (arg.isBlank()) {
                continue;
            }
            if (arg.equals("--demo")) {
                demo = true;
            } else {
                System.err.println(
                        "ScanOrder local platform: unknown argument '"
                                + arg
                                + "'; the only one is --demo (run one scripted dinner, then exit)");
                System.exit(2);
                return;
            }
        }
        Path orderJar = Path.of(required("scanorder.order.jar"));
        Path paymentJar = Path.of(required("scanorder.payment.jar"));
        Path examplesDir = Path.of(required("scanorder.examples.dir"));
        Path outputDir = Path.of(required("scanorder.local.output.dir"));
        System.out.println(
                "ScanOrder local platform: starting (embedded defaults, throw-away data)");
        LocalPlatform platform;
        try {
            platform = start(orderJar, paymentJar, examplesDir, outputDir, System.out);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("ScanOrder local platform could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        if (demo) {
            System.exit(DemoDinner.runAndStop(platform, System.out, System.err));
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    System.out.println("ScanOrder local platform: stopping");
                                    platform.close();
                                    stopped.countDown();
                                },
                                "local-platform-shutdown"));
        System.out.println();
        System.out.print(platform.summary());
        System.out.println(
                "Check: grpc health on the order service gRPC port (grpc.health.v1.Health/Check)."
                        + " Ctrl-C stops everything.");
        stopped.await();
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "system property "
                            + property
                            + " is not set; start through ./mvnw -B -Plocal -DskipTests verify");
        }
        return value;
    }
}
