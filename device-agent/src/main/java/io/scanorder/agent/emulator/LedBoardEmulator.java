package io.scanorder.agent.emulator;

import io.scanorder.agent.led.LedLineProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A pickup-number LED board for tests and local mode: a TCP server on 127.0.0.1 speaking {@link
 * LedLineProtocol}, remembering what it shows; {@link #online(boolean)} unplugs it.
 */
public final class LedBoardEmulator implements AutoCloseable {

    private final int port;
    private final Thread thread;
    private final List<List<String>> history = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private volatile List<String> shown = List.of();
    private volatile boolean closed;
    private ServerSocket server;

    private LedBoardEmulator(ServerSocket server) {
        this.server = server;
        this.port = server.getLocalPort();
        this.thread = new Thread(this::serve, "led-board-emulator-" + port);
        this.thread.setDaemon(true);
    }

    /** Starts listening; {@code port} 0 picks a free one. */
    public static LedBoardEmulator start(int port) {
        LedBoardEmulator board = new LedBoardEmulator(bind(port));
        board.thread.start();
        return board;
    }

    public int port() {
        return port;
    }

    /** What the board shows now. */
    public List<String> shown() {
        return shown;
    }

    /** Every accepted SHOW, oldest first. */
    public List<List<String>> history() {
        return List.copyOf(history);
    }

    /** Replies other than OK/PONG that the board gave, with the offending line. */
    public List<String> errors() {
        return List.copyOf(errors);
    }

    /** Unplugged ({@code false}: connections refused) or back ({@code true}). */
    public synchronized LedBoardEmulator online(boolean online) {
        if (!online && server != null) {
            close(server);
            server = null;
        } else if (online && server == null) {
            server = bind(port);
            notifyAll();
        }
        return this;
    }

    private synchronized ServerSocket listening() throws InterruptedException {
        while (!closed && server == null) {
            wait();
        }
        return closed ? null : server;
    }

    private void serve() {
        while (!closed) {
            try {
                ServerSocket listening = listening();
                if (listening == null) {
                    return;
                }
                try (Socket socket = listening.accept()) {
                    handle(socket);
                } catch (SocketTimeoutException e) {
                    // loop to notice online(false) and close()
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                // connection ended or the server socket was closed by online(false)
            }
        }
    }

    private void handle(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        String line;
        while ((line = in.readLine()) != null) {
            String reply = answer(line);
            if (!reply.equals("OK") && !reply.equals("PONG")) {
                errors.add(reply + " <- " + line);
            }
            out.write((reply + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private String answer(String line) {
        if (line.length() > LedLineProtocol.MAX_LINE) {
            return "ERR line longer than " + LedLineProtocol.MAX_LINE + " bytes";
        }
        if (line.equals("PING")) {
            return "PONG";
        }
        if (line.equals("SHOW") || line.startsWith("SHOW ")) {
            try {
                List<String> numbers =
                        LedLineProtocol.parseNumbers(line.length() > 4 ? line.substring(5) : "");
                shown = numbers;
                history.add(numbers);
                return "OK";
            } catch (IllegalArgumentException e) {
                return "ERR " + e.getMessage();
            }
        }
        return "ERR unknown command";
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            close(server);
            notifyAll();
        }
        thread.interrupt();
    }

    private static void close(ServerSocket s) {
        try {
            if (s != null) {
                s.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            socket.setSoTimeout(200);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("LED board emulator cannot listen on port " + port, e);
        }
    }
}
