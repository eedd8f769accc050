package io.scanorder.wechatsim.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A small HTTP/1.1 server (keep-alive, Content-Length and chunked request bodies) that binds the
 * router to a socket; the only class that does network I/O for the simulator's APIs.
 *
 * <p>It exists instead of the JDK's {@code com.sun.net.httpserver} because that server rewrites
 * response header names to "Wechatpay-timestamp", while wechatpay-java looks its headers up
 * case-sensitively as WeChat sends them ("Wechatpay-Timestamp"). Header names go out exactly as the
 * APIs spell them.
 */
public final class SimHttpServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SimHttpServer.class.getName());
    // WeChat's request bodies are small JSON documents; refuse anything absurd instead of
    // buffering.
    private static final int MAX_BODY_BYTES = 1 << 20;
    private static final int MAX_HEADER_LINE = 16 * 1024;
    private static final int IDLE_TIMEOUT_MS = 30_000;

    private final ServerSocket socket;
    private final ExecutorService executor;
    private final Router router;

    private SimHttpServer(ServerSocket socket, ExecutorService executor, Router router) {
        this.socket = socket;
        this.executor = executor;
        this.router = router;
    }

    /** Starts listening; port 0 picks a free port. */
    public static SimHttpServer start(InetSocketAddress address, Router router) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(address, 128);
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor =
                Executors.newCachedThreadPool(
                        r -> {
                            Thread t = new Thread(r, "wechat-sim-" + threads.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        SimHttpServer server = new SimHttpServer(socket, executor, router);
        executor.execute(server::acceptLoop);
        return server;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                executor.execute(() -> serve(client));
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.log(Level.WARNING, "accept failed", e);
                }
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            client.setSoTimeout(IDLE_TIMEOUT_MS);
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = new BufferedOutputStream(client.getOutputStream());
            boolean keepAlive = true;
            while (keepAlive) {
                String requestLine = readLine(in);
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue; // tolerate a stray CRLF between requests
                }
                keepAlive = handle(requestLine, in, out);
                out.flush();
            }
        } catch (SocketTimeoutException | SocketException e) {
            // idle keep-alive connection or client gone: nothing to answer
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.FINE, "client connection failed", e);
        }
    }

    /** Reads one request after its request line and answers it; returns whether to keep alive. */
    private boolean handle(String requestLine, InputStream in, OutputStream out)
            throws IOException {
        String[] parts = requestLine.split(" ");
        Map<String, List<String>> headers = readHeaders(in);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            write(out, SimResponse.text(400, "malformed request line"), false);
            return false;
        }
        boolean keepAlive =
                !"close".equalsIgnoreCase(first(headers, "Connection"))
                        && !parts[2].equals("HTTP/1.0");
        if ("100-continue".equalsIgnoreCase(first(headers, "Expect"))) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        byte[] body = readBody(in, headers);
        SimResponse response;
        if (body == null) {
            response = SimResponse.text(413, "request body exceeds " + MAX_BODY_BYTES + " bytes");
            keepAlive = false;
        } else {
            URI uri;
            try {
                uri = URI.create(parts[1]);
            } catch (IllegalArgumentException e) {
                write(out, SimResponse.text(400, "malformed request target"), false);
                return false;
            }
            String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
            String rawQuery = uri.getRawQuery();
            response =
                    router.dispatch(
                            new SimRequest(
                                    parts[0],
                                    uri.getPath() == null ? "/" : uri.getPath(),
                                    rawPath + (rawQuery == null ? "" : "?" + rawQuery),
                                    SimRequest.parseQuery(rawQuery),
                                    headers,
                                    body));
        }
        write(out, response, keepAlive);
        return keepAlive;
    }

    private static void write(OutputStream out, SimResponse response, boolean keepAlive)
            throws IOException {
        byte[] body = response.body();
        StringBuilder head = new StringBuilder();
        head.append("HTTP/1.1 ")
                .append(response.status())
                .append(' ')
                .append(reason(response.status()))
                .append("\r\n");
        boolean noBody = response.status() == 204 || response.status() == 304;
        if (!noBody) {
            head.append("Content-Type: ").append(response.contentType()).append("\r\n");
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        response.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        if (!noBody) {
            out.write(body);
        }
    }

    private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
        }
        return headers;
    }

    /** The body per Content-Length or chunked encoding; null when it is too large. */
    private static byte[] readBody(InputStream in, Map<String, List<String>> headers)
            throws IOException {
        if ("chunked".equalsIgnoreCase(first(headers, "Transfer-Encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in);
                if (sizeLine == null) {
                    throw new IOException("chunked body ended early");
                }
                int semicolon = sizeLine.indexOf(';');
                int size =
                        Integer.parseInt(
                                (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon))
                                        .trim(),
                                16);
                if (size == 0) {
                    readHeaders(in); // trailers
                    return body.toByteArray();
                }
                if (body.size() + size > MAX_BODY_BYTES) {
                    return null;
                }
                body.writeBytes(in.readNBytes(size));
                readLine(in);
            }
        }
        String length = first(headers, "Content-Length");
        if (length == null) {
            return new byte[0];
        }
        long n = Long.parseLong(length.trim());
        if (n > MAX_BODY_BYTES) {
            return null;
        }
        byte[] body = in.readNBytes((int) n);
        if (body.length != n) {
            throw new IOException("body ended after " + body.length + " of " + n + " bytes");
        }
        return body;
    }

    /** One CRLF- (or LF-) terminated line in ISO-8859-1; null at end of stream. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                int end = line.length();
                return end > 0 && line.charAt(end - 1) == '\r'
                        ? line.substring(0, end - 1)
                        : line.toString();
            }
            if (line.length() >= MAX_HEADER_LINE) {
                throw new IOException("header line longer than " + MAX_HEADER_LINE);
            }
            line.append((char) c);
        }
        return line.length() == 0 ? null : line.toString();
    }

    private static String first(Map<String, List<String>> headers, String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Payload Too Large";
            case 500 -> "Internal Server Error";
            default -> "Status";
        };
    }

    public int port() {
        return socket.getLocalPort();
    }

    public String host() {
        return socket.getInetAddress().getHostAddress();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "closing the listening socket failed", e);
        }
        executor.shutdownNow();
    }
}
