package io.scanorder.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * A real {@code redis-server} (6.2, shipped in codemonstur's embedded-redis jar) on a free port on
 * 127.0.0.1, without persistence.
 *
 * <p>{@link #stop()} and {@link #start()} stop and restart it on the same port, so tests can prove
 * that services degrade gracefully while Redis is away and recover when it returns (data does not
 * survive a restart). {@link #shared()} gives one lazily started instance per JVM, closed by a
 * shutdown hook.
 */
public final class EmbeddedRedis implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
    private static final String HOST = "127.0.0.1";
    private static final Duration PORT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static EmbeddedRedis shared;

    private final Path workDir;
    private int port;
    private RedisServer server;
    private boolean closed;

    private EmbeddedRedis(Path workDir) {
        this.workDir = workDir;
    }

    /** The instance shared by every test in this JVM, started on first use. */
    public static synchronized EmbeddedRedis shared() {
        if (shared == null || shared.closed) {
            shared = launch();
        }
        return shared;
    }

    /** Starts a new, private instance; the caller owns it and should {@link #close()} it. */
    public static EmbeddedRedis launch() {
        Path work;
        try {
            work = Files.createTempDirectory("scanorder-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a work directory for Redis", e);
        }
        EmbeddedRedis redis = new EmbeddedRedis(work);
        redis.startOnFreePort();
        Runtime.getRuntime().addShutdownHook(new Thread(redis::close, "embedded-redis-shutdown"));
        return redis;
    }

    /** Host Redis listens on (always 127.0.0.1). */
    public String host() {
        return HOST;
    }

    /** Port Redis listens on; the same across {@link #stop()}/{@link #start()}. */
    public synchronized int port() {
        return port;
    }

    /** Connection URI, e.g. {@code redis://127.0.0.1:6390}. */
    public String uri() {
        return "redis://" + HOST + ":" + port();
    }

    /** Whether the server process is running. */
    public synchronized boolean isRunning() {
        return server != null && server.isActive();
    }

    /** Starts the server again on the same port (no-op if it is running). */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("Redis instance on port " + port + " is closed");
        }
        if (isRunning()) {
            return;
        }
        startServer();
    }

    /**
     * Stops the server and waits until its port refuses connections, so that a test that stops
     * Redis sees it gone immediately.
     */
    public synchronized void stop() {
        if (server == null) {
            return;
        }
        RedisServer s = server;
        server = null;
        try {
            s.stop();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop redis-server on port " + port, e);
        }
        long deadline = System.nanoTime() + PORT_CLOSE_TIMEOUT.toNanos();
        while (accepts(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "redis-server on port " + port + " still accepts connections after stop");
            }
            sleep(50);
        }
    }

    /** Stops the server and deletes its work directory. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stop();
        } finally {
            Directories.deleteQuietly(workDir);
        }
    }

    private void startOnFreePort() {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            port = FreePorts.loopback();
            try {
                startServer();
                LOG.info("redis-server started on {}:{}", HOST, port);
                return;
            } catch (RuntimeException e) {
                // Most likely the port was taken between probing and binding.
                last = e;
            }
        }
        throw last;
    }

    private void startServer() {
        try {
            RedisServer s =
                    RedisServer.newRedisServer()
                            .port(port)
                            .bind(HOST)
                            .setting("dir " + workDir)
                            .setting("save \"\"")
                            .setting("appendonly no")
                            .setting("protected-mode no")
                            .build();
            s.start();
            server = s;
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "could not start redis-server on " + HOST + ":" + port + ": " + e.getMessage(),
                    e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Redis to stop", e);
        }
    }

    @Override
    public String toString() {
        return "EmbeddedRedis[" + uri() + "]";
    }
}
