package io.scanorder.agent.emulator;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A network receipt printer on a TCP port (like port 9100 of a real one), for tests and local mode.
 * It executes the ESC/POS subset of {@link EscPosInterpreter}, keeps every job printed up to a cut
 * (or a feed past the tear bar) as text ({@link #jobs()}), answers DLE EOT status requests from its
 * emulated hardware, and can be told to run low on or out of paper, open its cover, drop off the
 * network or be slow.
 *
 * <p>Like a real printer it serves one connection at a time; others wait in the TCP backlog. A
 * connection idle for {@link #IDLE_TIMEOUT} is closed.
 *
 * <pre>{@code
 * try (PrinterEmulator printer = PrinterEmulator.start(0, 48)) {
 *     driverFor("127.0.0.1", printer.port()).print(ticket);
 *     assertThat(printer.jobs()).hasSize(1);
 * }
 * }</pre>
 */
public final class PrinterEmulator implements AutoCloseable {

    /** A real printer drops a connection that stops sending; so does the emulator. */
    public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

    private static final System.Logger LOG = System.getLogger(PrinterEmulator.class.getName());

    private final int port;
    private final int columns;
    private final PrinterState state = new PrinterState();
    private final List<PrintedJob> jobs = new CopyOnWriteArrayList<>();
    private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
    private final List<Consumer<PrintedJob>> jobListeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile NetworkMode mode = NetworkMode.ONLINE;
    private volatile long slowMillisPerLine;
    private volatile boolean closed;
    private ServerSocket server;
    private Socket client;

    private PrinterEmulator(ServerSocket server, int columns) {
        this.server = server;
        this.port = server.getLocalPort();
        this.columns = columns;
        this.thread = new Thread(this::serve, "printer-emulator-" + port);
        this.thread.setDaemon(true);
    }

    /**
     * Starts listening on 127.0.0.1.
     *
     * @param port TCP port, 0 for a free one
     * @param columns characters per line at normal width: 32 for 58 mm paper, 48 for 80 mm
     */
    public static PrinterEmulator start(int port, int columns) {
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be positive but was " + columns);
        }
        PrinterEmulator emulator = new PrinterEmulator(bind(port), columns);
        emulator.thread.start();
        return emulator;
    }

    public int port() {
        return port;
    }

    public int columns() {
        return columns;
    }

    /** Every job printed so far (a job ends with a cut or a tear-off feed), oldest first. */
    public List<PrintedJob> jobs() {
        return List.copyOf(jobs);
    }

    /** Commands the emulator did not understand, with their byte offset in the connection. */
    public List<String> protocolErrors() {
        return List.copyOf(protocolErrors);
    }

    /** Called after each cut (or tear-off feed) with the finished job. */
    public void onJob(Consumer<PrintedJob> listener) {
        jobListeners.add(listener);
    }

    public PrinterEmulator paperLow(boolean low) {
        state.paperLow(low);
        return this;
    }

    /** Out of paper: printing stops and status says so; {@code false} reloads the roll. */
    public PrinterEmulator paperOut(boolean out) {
        state.paperOut(out);
        return this;
    }

    /** The paper ends after this many more printed lines, e.g. in the middle of a job. */
    public PrinterEmulator runOutOfPaperAfter(int lines) {
        state.runOutOfPaperAfter(lines);
        return this;
    }

    public PrinterEmulator coverOpen(boolean open) {
        state.coverOpen(open);
        return this;
    }

    /** Takes so long to print each line (zero for full speed). */
    public PrinterEmulator slow(Duration perLine) {
        slowMillisPerLine = perLine.toMillis();
        return this;
    }

    /** Changes how the printer behaves on the network; see {@link NetworkMode}. */
    public synchronized PrinterEmulator network(NetworkMode next) {
        if (next == mode) {
            return this;
        }
        if (next == NetworkMode.REFUSING) {
            closeQuietly(server);
            resetClient();
        } else if (mode == NetworkMode.REFUSING) {
            server = bind(port);
        }
        mode = next;
        notifyAll();
        return this;
    }

    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            closeQuietly(server);
            resetClient();
            notifyAll();
        }
        thread.interrupt();
    }

    private void serve() {
        while (!closed) {
            try {
                ServerSocket listening = awaitOnline();
                if (listening == null) {
                    return;
                }
                Socket accepted;
                try {
                    accepted = listening.accept();
                } catch (SocketTimeoutException e) {
                    continue;
                }
                synchronized (this) {
                    client = accepted;
                }
                handle(accepted);
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                if (!closed && mode == NetworkMode.ONLINE) {
                    LOG.log(System.Logger.Level.DEBUG, "printer emulator connection ended", e);
                }
            }
        }
    }

    /** Waits while refusing or silent; returns the listening socket, or null once closed. */
    private synchronized ServerSocket awaitOnline() throws InterruptedException {
        while (!closed && mode != NetworkMode.ONLINE) {
            wait();
        }
        return closed ? null : server;
    }

    private void handle(Socket socket) throws IOException, InterruptedException {
        try (socket) {
            socket.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
            InputStream in = new Gate(new BufferedInputStream(socket.getInputStream()));
            List<RenderedLine> current = new ArrayList<>();
            EscPosInterpreter.Sink sink =
                    new EscPosInterpreter.Sink() {
                        @Override
                        public void line(RenderedLine line) {
                            current.add(line);
                        }

                        @Override
                        public void cut() {
                            finish(true);
                        }

                        @Override
                        public void tornOff() {
                            finish(false);
                        }

                        private void finish(boolean cut) {
                            PrintedJob job = new PrintedJob(current, cut);
                            current.clear();
                            jobs.add(job);
                            jobListeners.forEach(l -> l.accept(job));
                        }

                        @Override
                        public void protocolError(String error) {
                            protocolErrors.add(error);
                        }
                    };
            new EscPosInterpreter(
                            in,
                            socket.getOutputStream(),
                            state,
                            columns,
                            sink,
                            () -> {
                                long ms = slowMillisPerLine;
                                if (ms > 0) {
                                    Thread.sleep(ms);
                                }
                            })
                    .run();
        } catch (SocketTimeoutException e) {
            // idle connection dropped, as a real printer does
        } finally {
            synchronized (this) {
                client = null;
            }
        }
    }

    /** Makes reads wait while the printer is silent on the network. */
    private final class Gate extends FilterInputStream {
        Gate(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            awaitNotSilent();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            awaitNotSilent();
            return super.read(b, off, len);
        }

        private void awaitNotSilent() throws IOException {
            synchronized (PrinterEmulator.this) {
                while (mode == NetworkMode.SILENT && !closed) {
                    try {
                        PrinterEmulator.this.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("printer emulator stopped", e);
                    }
                }
            }
        }
    }

    /** Sends a TCP reset to the connected client, like a printer that lost its link. */
    private void resetClient() {
        if (client != null) {
            try {
                client.setSoLinger(true, 0);
            } catch (SocketException e) {
                // already closed
            }
            closeQuietly(client);
            client = null;
        }
    }

    private static ServerSocket bind(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            // lets the accept loop notice mode changes and close()
            socket.setSoTimeout(200);
            return socket;
        } catch (IOException e) {
            throw new UncheckedIOException("printer emulator cannot listen on port " + port, e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception e) {
            // closing anyway
        }
    }

    /**
     * Runs a printer for local mode and prints each job to standard output: {@code PrinterEmulator
     * [--port 9100] [--width 58|80]}. Standard input takes commands: {@code paper ok|low|out},
     * {@code cover open|closed}, {@code network online|refusing|silent}, {@code slow <ms per
     * line>}.
     */
    public static void main(String[] args) throws IOException {
        int port = 9100;
        int width = 80;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--width" -> width = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("usage: PrinterEmulator [--port 9100] [--width 58|80]");
                    System.exit(2);
                }
            }
        }
        if (width != 58 && width != 80) {
            System.err.println("--width must be 58 or 80 but was " + width);
            System.exit(2);
        }
        PrinterEmulator printer = start(port, width == 58 ? 32 : 48);
        printer.onJob(
                job ->
                        System.out.println(
                                "----- job " + printer.jobs().size() + "\n" + job.text()));
        System.out.println(
                "printer emulator (" + width + " mm) listening on 127.0.0.1:" + printer.port());
        BufferedReader commands =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            System.out.println(printer.command(line.strip()));
        }
        printer.close();
    }

    /** Applies one standard-input command and says what happened. */
    String command(String line) {
        String[] words = line.split("\\s+");
        if (words.length != 2) {
            return "expected '<what> <value>', e.g. 'paper out'";
        }
        switch (words[0] + " " + words[1]) {
            case "paper ok" -> paperOut(false).paperLow(false);
            case "paper low" -> paperOut(false).paperLow(true);
            case "paper out" -> paperOut(true);
            case "cover open" -> coverOpen(true);
            case "cover closed" -> coverOpen(false);
            case "network online" -> network(NetworkMode.ONLINE);
            case "network refusing" -> network(NetworkMode.REFUSING);
            case "network silent" -> network(NetworkMode.SILENT);
            default -> {
                if (!words[0].equals("slow")) {
                    return "unknown command '" + line + "'";
                }
                try {
                    slow(Duration.ofMillis(Long.parseLong(words[1])));
                } catch (NumberFormatException e) {
                    return "slow needs milliseconds per line but got '" + words[1] + "'";
                }
            }
        }
        return "ok: " + line;
    }
}
