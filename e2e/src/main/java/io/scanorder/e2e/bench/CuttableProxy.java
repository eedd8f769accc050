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
 * devices behind it lose their connection without an MQTT DISCONNECT, as when an agent dies, so the
 * broker publishes their last will.
 */
final class CuttableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;

    CuttableProxy(String targetHost, int targetPort) throws IOException {
        this.target = new InetSocketAddress(targetHost, targetPort);
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "bench-proxy-accept");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!cut) {
            try {
                Socket device = server.accept();
                Socket broker = new Socket();
                broker.connect(target, 5_000);
                sockets.add(device);
                sockets.add(broker);
                pump(device, broker);
                pump(broker, device);
            } catch (IOException e) {
                if (cut) {
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
                            }
                        },
                        "bench-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Closes every relayed connection and stops accepting new ones. */
    void cut() {
        cut = true;
        closeQuietly(server);
        sockets.forEach(CuttableProxy::closeQuietly);
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
