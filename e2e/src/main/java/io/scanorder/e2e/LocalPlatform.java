package io.scanorder.e2e;

import io.scanorder.testkit.EmbeddedPostgres;
import io.scanorder.testkit.EmbeddedRedis;
import io.scanorder.testkit.FreePorts;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.wechatsim.WeChatSimulator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
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
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The whole platform on one machine on embedded defaults: PostgreSQL, Redis, HiveMQ with the
 * ScanOrder extension, the WeChat simulator, and the order and payment services as child JVMs.
 * Everything listens on 127.0.0.1 on free ports and is thrown away on exit.
 */
public final class LocalPlatform implements AutoCloseable {
    /** The mini-program the simulator knows; local mode only, not a secret anywhere else. */
    public static final String DEMO_APP_ID = "wx5c0de00000000001";

    public static final String ORDER_DATABASE = "scanorder_order";
    public static final String PAYMENT_DATABASE = "scanorder_payment";

    /** The demo merchant the simulator knows; local mode only. */
    public static final String DEMO_MCH_ID = "1900000001";

    private static final Duration SERVICE_START_TIMEOUT = Duration.ofSeconds(90);

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, String> endpoints = new LinkedHashMap<>();
    private int orderGrpcPort;
    private int orderHttpPort;
    private int paymentHttpPort;
    private int paymentGrpcPort;

    private LocalPlatform() {}

    /**
     * Starts every part and waits until the services report ready.
     *
     * @param serviceOutput where the services' own log lines go (null to drop them)
     */
    public static LocalPlatform start(Path orderJar, Path paymentJar, PrintStream serviceOutput)
            throws IOException, InterruptedException {
        LocalPlatform platform = new LocalPlatform();
        try {
            platform.startAll(orderJar, paymentJar, serviceOutput);
            return platform;
        } catch (IOException | InterruptedException | RuntimeException e) {
            platform.close();
            throw e;
        }
    }

    private void startAll(Path orderJar, Path paymentJar, PrintStream serviceOutput)
            throws IOException, InterruptedException {
        Path workDir = Files.createTempDirectory("scanorder-local-");
        started.push(() -> deleteRecursively(workDir));

        EmbeddedPostgres postgres = EmbeddedPostgres.launch();
        started.push(postgres);
        postgres.createDatabase(ORDER_DATABASE);
        postgres.createDatabase(PAYMENT_DATABASE);
        endpoints.put("PostgreSQL", postgres.jdbcUrl(ORDER_DATABASE));

        EmbeddedRedis redis = EmbeddedRedis.launch();
        started.push(redis);
        endpoints.put("Redis", redis.uri());

        MqttBroker broker = MqttBroker.shared();
        endpoints.put("MQTT broker (HiveMQ CE)", broker.uri());

        String appSecret = randomHex(16);
        WeChatSimulator wechat = WeChatSimulator.start(0).registerApp(DEMO_APP_ID, appSecret);
        started.push(wechat);
        endpoints.put("WeChat simulator", wechat.baseUrl());

        orderGrpcPort = FreePorts.loopback();
        orderHttpPort = FreePorts.loopback();
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
        ServiceProcess orderService = ServiceProcess.start("order", orderJar, order, serviceOutput);
        started.push(orderService);

        paymentHttpPort = FreePorts.loopback();
        Map<String, String> payment = new LinkedHashMap<>();
        payment.put("quarkus.http.host", "127.0.0.1");
        payment.put("quarkus.http.port", Integer.toString(paymentHttpPort));
        payment.put("quarkus.grpc.server.host", "127.0.0.1");
        paymentGrpcPort = FreePorts.loopback();
        payment.put("quarkus.grpc.server.port", Integer.toString(paymentGrpcPort));
        payment.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl(PAYMENT_DATABASE));
        payment.put("quarkus.datasource.username", postgres.user());
        payment.put("quarkus.datasource.password", postgres.password());
        payment.putAll(demoMerchant(workDir, wechat, paymentHttpPort));
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
        return merchant;
    }

    /** What listens where, in start order, for people and for tests. */
    public Map<String, String> endpoints() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
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
        Path orderJar = Path.of(required("scanorder.order.jar"));
        Path paymentJar = Path.of(required("scanorder.payment.jar"));
        System.out.println(
                "ScanOrder local platform: starting (embedded defaults, throw-away data)");
        LocalPlatform platform = start(orderJar, paymentJar, System.out);
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
        System.out.println("ScanOrder local platform is up:");
        platform.endpoints()
                .forEach((name, where) -> System.out.printf("  %-26s %s%n", name, where));
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
