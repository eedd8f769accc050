package io.scanorder.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;

/**
 * The operator's own HTTP endpoint for the kubelet and Prometheus: {@code /healthz} (the process
 * answers), {@code /readyz} (started, and every informer of a leading replica is watching) and
 * {@code /metrics} (Prometheus text format).
 */
public final class OperatorHttpServer implements AutoCloseable {
    private final HttpServer server;

    private OperatorHttpServer(HttpServer server) {
        this.server = server;
    }

    /** Starts serving on the port (0 for any free one) of all interfaces. */
    public static OperatorHttpServer start(
            int port,
            Operator operator,
            PrometheusMeterRegistry registry,
            BooleanSupplier standby) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
            server.createContext("/healthz", e -> reply(e, 200, "text/plain", "ok\n"));
            server.createContext(
                    "/readyz",
                    e -> {
                        String problem = standby.getAsBoolean() ? null : unready(operator);
                        reply(
                                e,
                                problem == null ? 200 : 503,
                                "text/plain",
                                problem == null ? "ready\n" : problem + "\n");
                    });
            server.createContext(
                    "/metrics",
                    e ->
                            reply(
                                    e,
                                    200,
                                    "text/plain; version=0.0.4; charset=utf-8",
                                    registry.scrape()));
            // Probes and scrapes are rare and short; one thread keeps them off the reconcilers.
            server.setExecutor(Executors.newSingleThreadExecutor());
            server.start();
            return new OperatorHttpServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "operator HTTP endpoint could not bind port "
                            + port
                            + " (set SCANORDER_OPERATOR_HTTP_PORT)",
                    e);
        }
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Why the leading operator is not ready, or null. (A standby replica has started nothing and
     * counts as ready: it is healthy, just waiting for the Lease.)
     */
    static String unready(Operator operator) {
        if (!operator.getRuntimeInfo().isStarted()) {
            return "operator not started";
        }
        if (!operator.getRuntimeInfo().allEventSourcesAreHealthy()) {
            return "informers not watching: "
                    + operator.getRuntimeInfo().unhealthyEventSources().keySet();
        }
        return null;
    }

    private static void reply(HttpExchange exchange, int status, String type, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
