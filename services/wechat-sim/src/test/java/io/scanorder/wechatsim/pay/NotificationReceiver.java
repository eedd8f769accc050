package io.scanorder.wechatsim.pay;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A merchant's notify_url for tests: records every request and answers a settable status. */
final class NotificationReceiver implements AutoCloseable {
    /** One received notification: the headers WeChat signs with, and the raw body. */
    record Received(String path, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElse(null);
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(204);

    NotificationReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    try (exchange) {
                        String body =
                                new String(
                                        exchange.getRequestBody().readAllBytes(),
                                        StandardCharsets.UTF_8);
                        Map<String, String> headers = new java.util.HashMap<>();
                        exchange.getRequestHeaders()
                                .forEach((k, v) -> headers.put(k, String.join(",", v)));
                        received.add(
                                new Received(exchange.getRequestURI().getPath(), headers, body));
                        int answer = status.get();
                        if (answer == 204) {
                            exchange.sendResponseHeaders(204, -1);
                        } else {
                            byte[] out =
                                    "{\"code\":\"FAIL\",\"message\":\"失败\"}"
                                            .getBytes(StandardCharsets.UTF_8);
                            exchange.sendResponseHeaders(answer, out.length);
                            try (OutputStream os = exchange.getResponseBody()) {
                                os.write(out);
                            }
                        }
                    }
                });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void answer(int httpStatus) {
        status.set(httpStatus);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    /** What arrived at one path: tests give each order its own notify_url path. */
    List<Received> receivedAt(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    void clear() {
        received.clear();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
