package io.scanorder.agent.printer;

import io.scanorder.agent.ticket.KitchenTicket;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@link PrinterDriver} for an ESC/POS network printer on raw TCP (port 9100). Each job opens a
 * connection, checks DLE EOT status, sends every copy, and checks status again: the printer answers
 * the second request only after it has processed the job, so a clean answer confirms it. The caller
 * hears (through {@link JobProgress}) just before the first byte of the job is written and once all
 * of it is in the connection.
 *
 * <p>Every step has a timeout and a watchdog closes the connection when the whole job overruns, so
 * a printer that stops answering, or a peer that sends garbage, cannot hang the agent.
 */
public final class EscPosPrinterDriver implements PrinterDriver, AutoCloseable {

    /**
     * Where the printer is and how long to wait for it.
     *
     * @param host printer address
     * @param port printer TCP port, usually 9100
     * @param connectTimeout TCP connect
     * @param statusTimeout answer to a status request when nothing is printing
     * @param printTimeout answer to the status request sent after a job (includes printing time)
     */
    public record Settings(
            String host,
            int port,
            Duration connectTimeout,
            Duration statusTimeout,
            Duration printTimeout) {
        public Settings {
            Objects.requireNonNull(host, "host");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1..65535 but was " + port);
            }
        }

        /** 3 s to connect, 3 s for status, 30 s for a job. */
        public static Settings of(String host, int port) {
            return new Settings(
                    host,
                    port,
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(30));
        }
    }

    private final Settings settings;

    /**
     * How tickets are printed now: replaced as a whole by {@link #configure}, read once per job so
     * a job never mixes old and new options.
     */
    private volatile Format format;

    /** Layout, copies (0: as the ticket says) and cut of the next jobs. */
    private record Format(TicketLayout layout, int copies, boolean cut) {}

    private final ScheduledExecutorService watchdog =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "escpos-watchdog");
                        t.setDaemon(true);
                        return t;
                    });

    public EscPosPrinterDriver(Settings settings, TicketLayout layout) {
        this.settings = settings;
        this.format = new Format(layout, 0, true);
    }

    @Override
    public boolean configure(PrintOptions options) {
        Format now = format;
        format =
                new Format(
                        now.layout().withWidth(options.width()), options.copies(), options.cut());
        return true;
    }

    /** Paper width the next job is laid out for. */
    public PaperWidth width() {
        return format.layout().width();
    }

    @Override
    public PrintResult print(KitchenTicket ticket) {
        return print(ticket, JobProgress.NONE);
    }

    @Override
    public PrintResult print(KitchenTicket ticket, JobProgress progress) {
        byte[] job = encode(ticket);
        Duration budget =
                settings.connectTimeout()
                        .plus(settings.statusTimeout())
                        .plus(settings.printTimeout());
        try (Socket socket = new Socket()) {
            ScheduledFuture<?> kill = closeAfter(socket, budget);
            try {
                connect(socket);
                PrinterStatus before = query(socket, settings.statusTimeout());
                if (before.failure().isPresent()) {
                    return PrintResult.failed(
                            before.failure().get(), "not printed: " + before.problem(), before);
                }
                // only a status request has gone out so far: the job may still go anywhere
                progress.sending();
                socket.getOutputStream().write(job);
                socket.getOutputStream().flush();
                // in the kernel's send buffer: it reaches the printer even if this process dies
                progress.sent();
                PrinterStatus after = query(socket, settings.printTimeout());
                if (after.failure().isPresent()) {
                    return PrintResult.failed(
                            after.failure().get(),
                            "sent but not confirmed: " + after.problem(),
                            after);
                }
                return PrintResult.confirmed(after);
            } finally {
                kill.cancel(false);
            }
        } catch (StatusDecoder.NotAStatusByte e) {
            String detail = where() + ": " + e.getMessage();
            return PrintResult.failed(
                    FailureReason.PRINTER_ERROR, detail, PrinterStatus.unreachable(detail));
        } catch (IOException e) {
            String detail = unreachable(e, budget);
            return PrintResult.failed(
                    FailureReason.PRINTER_UNREACHABLE, detail, PrinterStatus.unreachable(detail));
        }
    }

    @Override
    public PrinterStatus status() {
        Duration budget = settings.connectTimeout().plus(settings.statusTimeout());
        try (Socket socket = new Socket()) {
            ScheduledFuture<?> kill = closeAfter(socket, budget);
            try {
                connect(socket);
                return query(socket, settings.statusTimeout());
            } finally {
                kill.cancel(false);
            }
        } catch (StatusDecoder.NotAStatusByte e) {
            return PrinterStatus.unreachable(where() + ": " + e.getMessage());
        } catch (IOException e) {
            return PrinterStatus.unreachable(unreachable(e, budget));
        }
    }

    /**
     * The bytes of every copy, each ending with its own cut (or feed, without a cutter). Copies
     * configured by {@link #configure} win over the copies the ticket asks for.
     */
    byte[] encode(KitchenTicket ticket) {
        Format f = format;
        KitchenTicket job = ticket;
        if (f.copies() > 0 && f.copies() != ticket.copies()) {
            job =
                    new KitchenTicket(
                            ticket.ticketId(),
                            ticket.orderNo(),
                            ticket.storeCode(),
                            ticket.table(),
                            ticket.station(),
                            ticket.createdAt(),
                            ticket.lines(),
                            f.copies());
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int copy = 1; copy <= job.copies(); copy++) {
            all.writeBytes(EscPosEncoder.encode(f.layout().layout(job, copy), f.cut()));
        }
        return all.toByteArray();
    }

    private void connect(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        socket.connect(
                new InetSocketAddress(settings.host(), settings.port()),
                (int) settings.connectTimeout().toMillis());
    }

    private static PrinterStatus query(Socket socket, Duration timeout)
            throws IOException, StatusDecoder.NotAStatusByte {
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        socket.getOutputStream().write(StatusDecoder.REQUEST);
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        // exactly four bytes: whatever else a misbehaving peer sends is never read
        return StatusDecoder.decode(next(in), next(in), next(in), next(in));
    }

    private static int next(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("connection closed before the status answer");
        }
        return b;
    }

    private ScheduledFuture<?> closeAfter(Socket socket, Duration budget) {
        return watchdog.schedule(
                () -> {
                    try {
                        socket.close();
                    } catch (IOException e) {
                        // closing is all we wanted
                    }
                },
                budget.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private String where() {
        return "printer " + settings.host() + ":" + settings.port();
    }

    private String unreachable(IOException e, Duration budget) {
        String why =
                e instanceof SocketTimeoutException
                        ? "no answer in time (" + e.getMessage() + ")"
                        : e.getClass().getSimpleName() + ": " + e.getMessage();
        return where() + " unreachable: " + why + " (job budget " + budget.toMillis() + " ms)";
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
