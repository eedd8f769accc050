package io.scanorder.testkit;

import io.scanorder.broker.EmbeddedBroker;
import io.scanorder.broker.auth.InMemoryCredentialStore;
import io.scanorder.broker.topic.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One embedded HiveMQ CE broker with the ScanOrder extension per test JVM, on a free port of
 * 127.0.0.1, stopped and its temporary folder deleted when the JVM exits.
 *
 * <pre>{@code
 * MqttBroker broker = MqttBroker.shared();
 * broker.addDevice("001", "hot-printer-1", "secret");
 * connect(broker.uri(), "hot-printer-1", "secret");
 * }</pre>
 *
 * The broker enforces the real authentication and topic policy, so tests add the credentials their
 * clients use. Sessions and retained messages live in memory and are shared by all tests of the
 * JVM: use distinct device ids per test.
 */
public final class MqttBroker {

    /**
     * PBKDF2 rounds for test credentials: the minimum the broker accepts, so that the many
     * connections of a test run stay fast. Production hashes use far more.
     */
    private static final int TEST_ITERATIONS = 1_000;

    private static MqttBroker shared;

    private final EmbeddedBroker broker;
    private final InMemoryCredentialStore credentials;
    private final Path dataFolder;

    private MqttBroker(
            EmbeddedBroker broker, InMemoryCredentialStore credentials, Path dataFolder) {
        this.broker = broker;
        this.credentials = credentials;
        this.dataFolder = dataFolder;
    }

    /** The JVM-wide broker, started on first use. */
    public static synchronized MqttBroker shared() {
        if (shared == null) {
            shared = start();
            MqttBroker started = shared;
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(started::shutdown, "scanorder-mqtt-broker-stop"));
        }
        return shared;
    }

    private static MqttBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("scanorder-mqtt-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder for the broker", e);
        }
        InMemoryCredentialStore credentials = new InMemoryCredentialStore();
        EmbeddedBroker broker =
                EmbeddedBroker.builder()
                        .dataFolder(dir)
                        .credentials(credentials)
                        .persistence(EmbeddedBroker.Persistence.IN_MEMORY)
                        .build();
        try {
            broker.start();
        } catch (RuntimeException e) {
            deleteRecursively(dir);
            throw e;
        }
        return new MqttBroker(broker, credentials, dir);
    }

    /** Lets device {@code deviceId} of store {@code storeCode} connect with {@code password}. */
    public MqttBroker addDevice(String storeCode, String deviceId, String password) {
        credentials.put(
                Principal.device(storeCode, deviceId), password.toCharArray(), TEST_ITERATIONS);
        return this;
    }

    /**
     * Lets service account {@code name} connect with {@code password}, using client id {@code name}
     * or {@code name-<suffix>}.
     */
    public MqttBroker addServiceAccount(String name, String password) {
        credentials.put(Principal.service(name), password.toCharArray(), TEST_ITERATIONS);
        return this;
    }

    /** Removes a user; its next connection attempt is refused. */
    public MqttBroker removeUser(String username) {
        credentials.remove(username);
        return this;
    }

    /**
     * Stops the broker and starts it again on the same port with the same credentials and data
     * folder, as a broker pod restart: every client is disconnected and must reconnect. Sessions,
     * queued and retained messages are in memory and do not survive, so clients have to subscribe
     * again and senders to resend what was not acknowledged.
     */
    public MqttBroker restart() {
        broker.restart();
        return this;
    }

    /** e.g. {@code tcp://127.0.0.1:41883}. */
    public String uri() {
        return broker.uri();
    }

    public String host() {
        return broker.host();
    }

    public int port() {
        return broker.port();
    }

    private void shutdown() {
        try {
            broker.stop();
        } finally {
            deleteRecursively(dataFolder);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp folder is not worth failing a test run for
        }
    }
}
