package io.scanorder.agent.kds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.scanorder.agent.ticket.KitchenTicket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The KDS tablet's local web page (JDK HTTP server, no framework): {@code GET /} the page, which
 * polls {@code GET /api/tickets} every second; {@code POST /api/tickets/{id}/bump} moves a ticket
 * one step.
 */
public final class KdsWebServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KdsWebServer.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUMP_PREFIX = "/api/tickets/";
    private static final String BUMP_SUFFIX = "/bump";

    private final HttpServer server;
    private final ExecutorService executor;
    private final KdsBoard board;
    private final Function<String, Optional<KdsBoard.Bump>> bump;
    private final BooleanSupplier connected;
    private final String deviceId;
    private final byte[] page;

    /**
     * Binds at once (so a busy port fails at start, naming it) and serves once {@link #start()}.
     *
     * @param bump moves a ticket one step and reports it to the server; empty if unknown
     * @param connected whether the agent is connected to the broker, shown on the page
     * @throws UncheckedIOException if the address cannot be bound
     */
    public KdsWebServer(
            InetSocketAddress address,
            String deviceId,
            KdsBoard board,
            Function<String, Optional<KdsBoard.Bump>> bump,
            BooleanSupplier connected) {
        this.deviceId = deviceId;
        this.board = board;
        this.bump = bump;
        this.connected = connected;
        this.page = loadPage();
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot listen for the KDS page on "
                            + address.getHostString()
                            + ":"
                            + address.getPort(),
                    e);
        }
        executor =
                Executors.newFixedThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "scanorder-kds-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    public void start() {
        server.start();
    }

    /** The bound port (useful when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/") || path.equals("/index.html")) {
                if (!method.equals("GET")) {
                    error(exchange, 405, method + " " + path + " is not allowed; use GET");
                    return;
                }
                send(exchange, 200, "text/html; charset=utf-8", page);
            } else if (path.equals("/api/tickets")) {
                if (!method.equals("GET")) {
                    error(exchange, 405, method + " " + path + " is not allowed; use GET");
                    return;
                }
                json(exchange, 200, tickets());
            } else if (path.startsWith(BUMP_PREFIX) && path.endsWith(BUMP_SUFFIX)) {
                if (!method.equals("POST")) {
                    error(exchange, 405, method + " " + path + " is not allowed; use POST");
                    return;
                }
                String id =
                        URLDecoder.decode(
                                path.substring(
                                        BUMP_PREFIX.length(), path.length() - BUMP_SUFFIX.length()),
                                StandardCharsets.UTF_8);
                Optional<KdsBoard.Bump> result = bump.apply(id);
                if (result.isEmpty()) {
                    error(exchange, 404, "ticket '" + id + "' is not on this screen");
                    return;
                }
                ObjectNode body = JSON.createObjectNode();
                body.put("ticketId", id);
                body.put("status", result.get().to().name());
                json(exchange, 200, body);
            } else {
                error(exchange, 404, "no page " + path + " (the KDS page is /)");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "KDS page request failed", e);
            throw e;
        }
    }

    /** The JSON the page renders. */
    ObjectNode tickets() {
        ObjectNode root = JSON.createObjectNode();
        root.put("deviceId", deviceId);
        root.put("connected", connected.getAsBoolean());
        ArrayNode list = root.putArray("tickets");
        for (KdsBoard.Card card : board.cards()) {
            KitchenTicket t = card.ticket();
            ObjectNode n = list.addObject();
            n.put("ticketId", t.ticketId());
            n.put("orderNo", t.orderNo());
            n.put("table", t.table());
            n.put("station", t.station());
            n.put("createdAt", t.createdAt().toString());
            n.put("status", card.status().name());
            ArrayNode lines = n.putArray("lines");
            for (KitchenTicket.Line line : t.lines()) {
                ObjectNode l = lines.addObject();
                l.put("name", line.name());
                l.put("qty", line.qty());
                l.put("spec", line.spec());
                l.put("notes", line.notes());
            }
        }
        return root;
    }

    private static void error(HttpExchange exchange, int status, String message)
            throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        json(exchange, status, body);
    }

    private static void json(HttpExchange exchange, int status, ObjectNode body)
            throws IOException {
        send(exchange, status, "application/json", JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static byte[] loadPage() {
        try (InputStream in = KdsWebServer.class.getResourceAsStream("kds.html")) {
            if (in == null) {
                throw new IllegalStateException("kds.html is missing from the agent's jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kds.html", e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
