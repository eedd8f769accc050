package io.scanorder.broker;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.embedded.EmbeddedHiveMQBuilder;
import io.scanorder.broker.auth.CredentialFile;
import io.scanorder.broker.auth.CredentialStore;
import io.scanorder.broker.auth.CredentialWatcher;
import io.scanorder.broker.extension.ScanOrderBrokerExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ CE running in this JVM with the {@link ScanOrderBrokerExtension}, for tests and local
 * mode. Credentials are either a {@link CredentialStore} or a watched, hot-reloaded {@link
 * CredentialFile} path.
 *
 * <pre>{@code
 * try (EmbeddedBroker broker = EmbeddedBroker.builder()
 *         .credentials(store).dataFolder(dir).build().start()) {
 *     connect(broker.uri());
 * }
 * }</pre>
 *
 * HiveMQ keeps global state, so run at most one embedded broker per JVM at a time.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Where the broker keeps sessions, queued and retained messages. */
    public enum Persistence {
        /** On disk in the data folder; survives a restart. */
        FILE,
        /** In memory only; faster, for tests. */
        IN_MEMORY
    }

    /**
     * QoS 1 publishes a client may have awaiting their PUBACK (CONNACK receive maximum), as in
     * {@code src/main/hivemq/config.xml}: HiveMQ's default of 10 throttles the order service.
     */
    public static final int SERVER_RECEIVE_MAXIMUM = 100;

    private final String bindAddress;
    private final int port;
    private final Path dataFolder;
    private final CredentialStore credentials;
    private final Path credentialPath;
    private final Path enrollmentPath;
    private final Duration credentialPollInterval;
    private final Persistence persistence;
    private final boolean hiveMqLogging;
    private EmbeddedHiveMQ hivemq;
    private ScanOrderBrokerExtension extension;

    private EmbeddedBroker(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.port == 0 ? freePort(b.bindAddress) : b.port;
        this.dataFolder = Objects.requireNonNull(b.dataFolder, "dataFolder is required");
        if ((b.credentials == null) == (b.credentialPath == null)) {
            throw new IllegalArgumentException(
                    "give either a credential store or a credential path, exactly one of them");
        }
        this.credentials = b.credentials;
        this.credentialPath = b.credentialPath;
        this.enrollmentPath = b.enrollmentPath;
        this.credentialPollInterval = b.credentialPollInterval;
        this.persistence = b.persistence;
        this.hiveMqLogging = b.hiveMqLogging;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts HiveMQ and waits until it accepts connections.
     *
     * @throws IllegalStateException if HiveMQ does not start within a minute, with its cause
     */
    public synchronized EmbeddedBroker start() {
        if (hivemq != null) {
            throw new IllegalStateException("broker already started on " + uri());
        }
        Path conf = dataFolder.resolve("conf");
        Path data = dataFolder.resolve("data");
        Path extensions = dataFolder.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            // empty on purpose: the only extension is ours, added below
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), configXml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare broker folders under " + dataFolder, e);
        }
        ScanOrderBrokerExtension main =
                credentials != null
                        ? new ScanOrderBrokerExtension(credentials)
                        : new ScanOrderBrokerExtension(credentialPath, credentialPollInterval);
        if (enrollmentPath != null) {
            main.withEnrollments(enrollmentPath);
        }
        EmbeddedExtension extension =
                EmbeddedExtension.builder()
                        .withId("scanorder-broker")
                        .withName("ScanOrder device authentication and topic policy")
                        .withVersion(version())
                        .withAuthor("ScanOrder")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(main)
                        .build();
        EmbeddedHiveMQBuilder builder =
                EmbeddedHiveMQ.builder()
                        .withConfigurationFolder(conf)
                        .withDataFolder(data)
                        .withExtensionsFolder(extensions)
                        .withEmbeddedExtension(extension);
        if (!hiveMqLogging) {
            // leave the host application's logging configuration alone
            builder = builder.withoutLoggingBootstrap();
        }
        EmbeddedHiveMQ started = builder.build();
        try {
            started.start().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(started);
            throw new IllegalStateException("interrupted while starting the broker", e);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(started);
            throw new IllegalStateException(
                    "HiveMQ did not start on " + bindAddress + ":" + port + ": " + e, e);
        }
        hivemq = started;
        this.extension = main;
        return this;
    }

    /** Stops HiveMQ; safe to call twice. */
    public synchronized void stop() {
        if (hivemq == null) {
            return;
        }
        EmbeddedHiveMQ running = hivemq;
        hivemq = null;
        extension = null;
        try {
            running.stop().get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("HiveMQ did not stop cleanly: " + e, e);
        } finally {
            closeQuietly(running);
        }
    }

    /**
     * Stops and starts HiveMQ again on the same port and data folder, with a new instance of the
     * extension on the same credentials: what a pod restart of the broker looks like to clients.
     * Sessions and retained messages survive only with {@link Persistence#FILE}.
     */
    public synchronized EmbeddedBroker restart() {
        stop();
        return start();
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized boolean isRunning() {
        return hivemq != null;
    }

    public int port() {
        return port;
    }

    public String host() {
        return bindAddress;
    }

    /** The URI MQTT clients connect to, e.g. {@code tcp://127.0.0.1:1883}. */
    public String uri() {
        String host = bindAddress.equals("0.0.0.0") ? "127.0.0.1" : bindAddress;
        return "tcp://" + host + ":" + port;
    }

    public Path dataFolder() {
        return dataFolder;
    }

    /** The watcher of the credential path while the broker runs, empty if it was given a store. */
    public synchronized Optional<CredentialWatcher> credentialWatcher() {
        return extension == null ? Optional.empty() : extension.credentialWatcher();
    }

    private String configXml() {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <security>
                        <allow-empty-client-id>
                            <enabled>false</enabled>
                        </allow-empty-client-id>
                    </security>
                    <!-- Paho 1.2.5 resends in-flight QoS 1 publishes after a reconnect with the
                         topic alias of the old connection, and the broker then disconnects it:
                         no topic aliases (see src/main/hivemq/config.xml). -->
                    <mqtt>
                        <topic-alias>
                            <enabled>false</enabled>
                        </topic-alias>
                        <!-- the order service publishes ticket batches: see config.xml -->
                        <receive-maximum>
                            <server-receive-maximum>%d</server-receive-maximum>
                        </receive-maximum>
                    </mqtt>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                    <persistence>
                        <mode>%s</mode>
                    </persistence>
                </hivemq>
                """
                .formatted(
                        port,
                        bindAddress,
                        SERVER_RECEIVE_MAXIMUM,
                        persistence == Persistence.FILE ? "file" : "in-memory");
    }

    private static String version() {
        String v = EmbeddedBroker.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    private static int freePort(String bindAddress) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(bindAddress), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port on " + bindAddress, e);
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.close();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Builds an {@link EmbeddedBroker}; data folder and credentials are required. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private int port;
        private Path dataFolder;
        private CredentialStore credentials;
        private Path credentialPath;
        private Path enrollmentPath;
        private Duration credentialPollInterval = ScanOrderBrokerExtension.DEFAULT_POLL_INTERVAL;
        private Persistence persistence = Persistence.FILE;
        private boolean hiveMqLogging;

        private Builder() {}

        /** MQTT port; 0 (the default) picks a free one. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535 but was " + port);
            }
            this.port = port;
            return this;
        }

        /** Address to listen on; 127.0.0.1 by default. */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** Folder for HiveMQ's conf, data and (empty) extensions folders. */
        public Builder dataFolder(Path dataFolder) {
            this.dataFolder = dataFolder;
            return this;
        }

        /** Credentials held in memory by the caller (who may change them while it runs). */
        public Builder credentials(CredentialStore credentials) {
            this.credentials = credentials;
            return this;
        }

        /**
         * Credentials read from a file or directory ({@link CredentialFile} format) and
         * hot-reloaded when it changes; instead of {@link #credentials(CredentialStore)}.
         */
        public Builder credentialPath(Path credentialPath) {
            this.credentialPath = credentialPath;
            return this;
        }

        /** How often the credential path is re-read without a file event; 10 s by default. */
        public Builder credentialPollInterval(Duration interval) {
            this.credentialPollInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * Enables device enrollment from this directory (one sub-directory per device Secret, see
         * {@link io.scanorder.broker.enroll.Enrollments}); redeemed codes are remembered in the
         * data folder.
         */
        public Builder enrollmentPath(Path enrollmentPath) {
            this.enrollmentPath = enrollmentPath;
            return this;
        }

        public Builder persistence(Persistence persistence) {
            this.persistence = Objects.requireNonNull(persistence, "persistence");
            return this;
        }

        /** Let HiveMQ configure logback itself (for the standalone broker); off by default. */
        public Builder hiveMqLogging(boolean enabled) {
            this.hiveMqLogging = enabled;
            return this;
        }

        public EmbeddedBroker build() {
            return new EmbeddedBroker(this);
        }
    }

    /**
     * Runs the broker until the JVM is stopped: {@code EmbeddedBroker --credentials <file|dir>
     * [--port 1883] [--bind 127.0.0.1] [--data ./broker-data] [--in-memory] [--enrollments <dir>]}.
     */
    public static void main(String[] args) throws InterruptedException {
        Builder builder =
                builder().port(1883).dataFolder(Path.of("broker-data")).hiveMqLogging(true);
        Path credentials = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--in-memory" -> builder.persistence(Persistence.IN_MEMORY);
                case "--port", "--bind", "--data", "--credentials", "--enrollments" -> {
                    if (i + 1 >= args.length) {
                        usage(arg + " needs a value");
                    }
                    String value = args[++i];
                    switch (arg) {
                        case "--port" -> builder.port(parsePort(value));
                        case "--bind" -> builder.bindAddress(value);
                        case "--data" -> builder.dataFolder(Path.of(value));
                        case "--enrollments" -> builder.enrollmentPath(Path.of(value));
                        default -> credentials = Path.of(value);
                    }
                }
                default -> usage("unknown argument '" + arg + "'");
            }
        }
        if (credentials == null) {
            usage("--credentials is required");
        }
        EmbeddedBroker broker = builder.credentialPath(credentials).build();
        broker.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    broker.stop();
                                    stopped.countDown();
                                },
                                "scanorder-broker-shutdown"));
        System.out.println("ScanOrder broker listening on " + broker.uri());
        stopped.await();
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            usage("--port must be a number but was '" + value + "'");
            return -1;
        }
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println(
                "usage: EmbeddedBroker --credentials <file|dir> [--port 1883] [--bind 127.0.0.1]"
                        + " [--data ./broker-data] [--in-memory] [--enrollments <dir>]");
        System.exit(2);
    }
}
