package io.scanorder.payment;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scanorder.payment.config.MerchantSecretFiles;
import io.scanorder.payment.orders.RecordingOrderService;
import io.scanorder.testkit.EmbeddedPostgres;
import io.scanorder.testkit.FreePorts;
import io.scanorder.wechatsim.WeChatSimulator;
import io.scanorder.wechatsim.pay.Merchant;
import io.scanorder.wechatsim.pay.VerificationMode;
import io.scanorder.wechatsim.pay.notify.RetrySchedule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the payment service needs around it in a @QuarkusTest: merchant key files (as a mounted
 * Secret) and data encryption keys k1 (current) and k2, its own database on the shared embedded
 * PostgreSQL, and the WeChat simulator with the test merchant registered, its notifications pointed
 * at the service's HTTP port, and a recording stand-in for the order service's OrderPayments gRPC
 * server.
 */
public class PaymentInfrastructure implements QuarkusTestResourceLifecycleManager {
    public static final String DATABASE = "scanorder_payment";
    public static final String MCH_ID = "1900000109";
    public static final String APP_ID = "wx5f3c1b2a9d8e7f60";
    public static final String SERIAL = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";

    /** Service-provider mode: MCH_ID is then the sp_mchid, and this the store's sub-merchant. */
    public static final String SUB_MCH_ID = "1900000901";

    /** Service-provider mode: another sub-merchant of the same provider (another store). */
    public static final String OTHER_SUB_MCH_ID = "1900000902";

    /** Init arg {@code mode}: DIRECT (default) or SERVICE_PROVIDER. */
    public static final String MODE = "mode";

    private static volatile RecordingOrderService orderService;
    private static volatile Path keyDir;

    /** Where the data keys (k1, k2, lookup) of the running service are. */
    public static Path keyDir() {
        return keyDir;
    }

    private Path dir;
    private WeChatSimulator wechat;
    private boolean serviceProvider;

    @Override
    public void init(Map<String, String> initArgs) {
        serviceProvider = "SERVICE_PROVIDER".equals(initArgs.get(MODE));
    }

    /** The stand-in order service the payment service reports payments to. */
    public static RecordingOrderService orderService() {
        return orderService;
    }

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("scanorder-merchant");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KeyPair merchantKeys = MerchantSecretFiles.writeTo(dir);

        wechat = WeChatSimulator.start(0);
        wechat.pay()
                .registerMerchant(
                        new Merchant(
                                MCH_ID,
                                APP_ID,
                                merchantKeys.getPublic(),
                                SERIAL,
                                MerchantSecretFiles.API_V3_KEY,
                                VerificationMode.PLATFORM_CERTIFICATE))
                // WeChat's 15 s .. 6 h re-send schedule, a hundred times faster.
                .retrySchedule(RetrySchedule.wechat().scaled(0.01));

        EmbeddedPostgres pg = EmbeddedPostgres.shared();
        pg.createDatabase(DATABASE);
        int httpPort = FreePorts.loopback();

        orderService = new RecordingOrderService(FreePorts.loopback()).start();

        Map<String, String> config = new HashMap<>();
        config.put("scanorder.payment.order-service.host", "127.0.0.1");
        config.put("scanorder.payment.order-service.port", Integer.toString(orderService.port()));
        config.put("quarkus.datasource.jdbc.url", pg.jdbcUrl(DATABASE));
        config.put("quarkus.datasource.username", pg.user());
        config.put("quarkus.datasource.password", pg.password());
        config.put("quarkus.http.test-port", Integer.toString(httpPort));
        config.put("quarkus.grpc.server.test-port", Integer.toString(FreePorts.loopback()));
        config.put(
                "scanorder.payment.merchant.private-key-path",
                MerchantSecretFiles.privateKey(dir).toString());
        config.put(
                "scanorder.payment.merchant.api-v3-key-ref",
                "file:" + MerchantSecretFiles.apiV3Key(dir));
        config.put("scanorder.payment.merchant.wechat-base-url", wechat.baseUrl());
        config.put(
                "scanorder.payment.merchant.notify-url",
                "http://127.0.0.1:" + httpPort + "/wechat/pay/notify");
        config.put("scanorder.payment.limits.max-order-fen", "200000");
        if (serviceProvider) {
            wechat.pay()
                    .registerSubMerchant(MCH_ID, SUB_MCH_ID)
                    .registerSubMerchant(MCH_ID, OTHER_SUB_MCH_ID);
            config.put("scanorder.payment.merchant.mode", "SERVICE_PROVIDER");
            config.put("scanorder.payment.merchant.sub-mch-id", SUB_MCH_ID);
            // Everything this service and the SDK log is captured by ServiceProviderPaymentIT,
            // which checks that no secret shows up even at DEBUG.
            config.put("quarkus.log.category.\"io.scanorder\".level", "DEBUG");
            config.put("quarkus.log.category.\"com.wechat.pay\".level", "DEBUG");
            config.put("quarkus.log.category.\"okhttp3\".level", "DEBUG");
        }
        DataKeys.write(dir);
        config.put("scanorder.payment.encryption.current-key-id", "k1");
        config.put("scanorder.payment.encryption.keys.k1", "file:" + DataKeys.key(dir, "k1"));
        config.put("scanorder.payment.encryption.keys.k2", "file:" + DataKeys.key(dir, "k2"));
        config.put("scanorder.payment.encryption.lookup-key-ref", "file:" + DataKeys.lookup(dir));
        keyDir = dir;
        return config;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(
                wechat,
                new TestInjector.AnnotatedAndMatchesType(
                        InjectWeChat.class, WeChatSimulator.class));
    }

    @Override
    public void stop() {
        if (orderService != null) {
            orderService.close();
        }
        if (wechat != null) {
            wechat.close();
        }
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
