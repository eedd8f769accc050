package io.scanorder.wechatsim.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Binds the router to the JDK's built-in HTTP server; the only class that touches it. */
public final class SimHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SimHttpServer.class.getName());
    // WeChat's request bodies are small JSON documents; refuse anything absurd instead of
    // buffering.
    private static final int MAX_BODY_BYTES = 1 << 20;

    private final HttpServer server;
    private final ExecutorService executor;

    private SimHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts listening; port 0 picks a free port. */
    public static SimHttpServer start(InetSocketAddress address, Router router) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread t = new Thread(r, "wechat-sim-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> serve(exchange, router));
        server.start();
        return new SimHttpServer(server, executor);
    }

    private static void serve(HttpExchange exchange, Router router) throws IOException {
        try (exchange) {
            byte[] body = readBody(exchange.getRequestBody());
            SimResponse response;
            if (body == null) {
                response =
                        SimResponse.text(413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
            } else {
                String rawQuery = exchange.getRequestURI().getRawQuery();
                SimRequest request =
                        new SimRequest(
                                exchange.getRequestMethod(),
                                exchange.getRequestURI().getPath(),
                                exchange.getRequestURI().getRawPath()
                                        + (rawQuery == null ? "" : "?" + rawQuery),
                                SimRequest.parseQuery(rawQuery),
                                exchange.getRequestHeaders(),
                                body);
                response = router.dispatch(request);
            }
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] out = response.body();
            exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
            if (out.length > 0) {
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "client connection failed", e);
            throw e;
        }
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        return body.length > MAX_BODY_BYTES ? null : body;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String host() {
        return server.getAddress().getHostString();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
