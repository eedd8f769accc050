package io.scanorder.e2e.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of the broker whose connections can all be cut at once: the
 * devices behind it lose their connection without an MQTT DISCONNECT, as when an agent dies or its
 * network link goes down, so the broker publishes their last will. {@link #restore()} brings the
 * link back on the same port, and the devices reconnect through it by themselves.
 */
public final class CuttableProxy implements AutoCloseable {
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final int port;
    private volatile ServerSocket server;
    private volatile boolean cut;

    public CuttableProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = listen(0);
        this.port = server.getLocalPort();
        startAccepting(server);
    }

    public int port() {
        return port;
    }

    /** {@code tcp://127.0.0.1:<port>}, the URI MQTT clients behind the proxy connect to. */
    public String uri() {
        return "tcp://127.0.0.1:" + port;
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        return socket;
    }

    private void startAccepting(ServerSocket listening) {
        Thread accept = new Thread(() -> acceptLoop(listening), "bench-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    private void acceptLoop(ServerSocket listening) {
        while (!cut && !listening.isClosed()) {
            try {
                Socket device = listening.accept();
                Socket broker = new Socket();
                try {
                    broker.connect(target, 5_000);
                } catch (IOException e) {
                    // the broker is down (e.g. restarting): the device sees its connection fail
                    closeQuietly(device);
                    closeQuietly(broker);
                    continue;
                }
                sockets.add(device);
                sockets.add(broker);
                pump(device, broker);
                pump(broker, device);
            } catch (IOException e) {
                if (cut || listening.isClosed()) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t =
                new Thread(
                        () -> {
                            byte[] buffer = new byte[8192];
                            try (InputStream in = from.getInputStream();
                                    OutputStream out = to.getOutputStream()) {
                                int n;
                                while ((n = in.read(buffer)) >= 0) {
                                    out.write(buffer, 0, n);
                                    out.flush();
                                }
                            } catch (IOException e) {
                                // one side closed: close both below
                            } finally {
                                closeQuietly(from);
                                closeQuietly(to);
                                sockets.remove(from);
                                sockets.remove(to);
                            }
                        },
                        "bench-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Closes every relayed connection and stops accepting new ones (connecting is refused). */
    public synchronized void cut() {
        cut = true;
        closeQuietly(server);
        sockets.forEach(CuttableProxy::closeQuietly);
        sockets.clear();
    }

    /** Listens again on the same port after {@link #cut()}. */
    public synchronized void restore() throws IOException {
        if (!cut) {
            return;
        }
        cut = false;
        server = listen(port);
        startAccepting(server);
    }

    /** Whether the link is cut now. */
    public boolean isCut() {
        return cut;
    }

    @Override
    public void close() {
        cut();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}
