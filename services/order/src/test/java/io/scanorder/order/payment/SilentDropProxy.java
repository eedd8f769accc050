package io.scanorder.order.payment;

import io.scanorder.testkit.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a loopback port in front of a {@link PaymentPeer} whose open connections can be
 * made to swallow every byte without closing (a pod that vanished behind a Kubernetes Service: no
 * FIN, no RST, the client's connection looks open), while new connections are forwarded again.
 */
final class SilentDropProxy implements AutoCloseable {
    final int port = FreePorts.loopback();
    private final int target;
    private final ServerSocket listener;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    SilentDropProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::accept, "silent-drop-proxy-" + port);
        accept.setDaemon(true);
        accept.start();
    }

    /** Every connection open now swallows all bytes from here on, both ways. */
    void silenceOpenConnections() {
        links.forEach(l -> l.silent = true);
    }

    /** Connections the proxy accepted so far. */
    int accepted() {
        return links.size();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Link link = new Link(client, server);
                links.add(link);
                pump(link, client, server);
                pump(link, server, client);
            } catch (IOException e) {
                // closed, or the peer refused: the client sees its connection fail
            }
        }
    }

    private static void pump(Link link, Socket from, Socket to) {
        Thread t =
                new Thread(
                        () -> {
                            byte[] buffer = new byte[16 * 1024];
                            try (InputStream in = from.getInputStream();
                                    OutputStream out = to.getOutputStream()) {
                                int n;
                                while ((n = in.read(buffer)) >= 0) {
                                    if (!link.silent) {
                                        out.write(buffer, 0, n);
                                        out.flush();
                                    }
                                }
                            } catch (IOException e) {
                                // one side closed
                            } finally {
                                link.close();
                            }
                        },
                        "silent-drop-pump");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        links.forEach(Link::close);
    }

    private static final class Link {
        private final Socket client;
        private final Socket server;
        volatile boolean silent;

        Link(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            try {
                client.close();
                server.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
