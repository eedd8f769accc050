package io.scanorder.agent.app;

import io.scanorder.agent.config.AgentConfig.DeviceType;
import io.scanorder.agent.config.DeviceConfig;
import io.scanorder.agent.config.DeviceConfigFile;
import io.scanorder.agent.heartbeat.DeviceHealth;
import io.scanorder.agent.heartbeat.DeviceHealth.Cover;
import io.scanorder.agent.heartbeat.DeviceHealth.Link;
import io.scanorder.agent.heartbeat.DeviceHealth.Paper;
import io.scanorder.agent.heartbeat.Heartbeat;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.printer.PrintOptions;
import io.scanorder.agent.printer.PrintResult;
import io.scanorder.agent.printer.PrinterDriver;
import io.scanorder.agent.printer.PrinterStatus;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.TicketCodec;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.ticket.TicketProcessor;
import io.scanorder.agent.ticket.TicketProcessor.Outcome;
import io.scanorder.agent.ticket.TicketRejectedException;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.Transport;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The printer agent's application: tickets in from the {@code tickets} topic, through the journal
 * to the printer, acks out on {@code acks}; printer status polled into alarms and heartbeats. It
 * sees only {@link Transport} and {@link PrinterDriver}: no MQTT library, no ESC/POS.
 *
 * <p>Threads: the transport's thread only validates and journals a ticket (so it is on disk before
 * the broker is told it was delivered) and queues it; one worker thread then does everything that
 * talks to the printer (tickets in arrival order, status polls between them), so the printer only
 * ever sees one connection at a time.
 */
public final class AgentApplication implements AutoCloseable {

    /**
     * Who this agent is and how often it looks at things.
     *
     * @param storeCode 3-digit store code
     * @param deviceId device id
     * @param heartbeatInterval time between heartbeats
     * @param printerPoll time between printer status reads
     * @param agentVersion version sent in heartbeats
     * @param pushedConfigFile where the last pushed config is kept across restarts; null to keep
     *     none
     */
    public record Settings(
            String storeCode,
            String deviceId,
            Duration heartbeatInterval,
            Duration printerPoll,
            String agentVersion,
            Path pushedConfigFile) {
        public Settings {
            Objects.requireNonNull(storeCode, "storeCode");
            Objects.requireNonNull(deviceId, "deviceId");
        }

        /** Settings that keep no pushed config across restarts. */
        public Settings(
                String storeCode,
                String deviceId,
                Duration heartbeatInterval,
                Duration printerPoll,
                String agentVersion) {
            this(storeCode, deviceId, heartbeatInterval, printerPoll, agentVersion, null);
        }

        /** The store of pushed configs, or null. */
        DeviceConfigFile configFile() {
            return pushedConfigFile == null ? null : new DeviceConfigFile(pushedConfigFile);
        }
    }

    private static final System.Logger LOG = System.getLogger(AgentApplication.class.getName());
    private static final long COMPACT_EVERY = 500;

    private final Settings settings;
    private final Transport transport;
    private final TicketJournal journal;
    private final TicketCodec codec = new TicketCodec();
    private final TicketProcessor processor;
    private final PrinterDriver printer;
    private final AlarmMonitor alarms;
    private final Heartbeat heartbeat;
    private final AgentCounters counters = new AgentCounters();
    private final PushedConfig pushed;
    private final AtomicBoolean pollQueued = new AtomicBoolean();
    private final String ticketsTopic;
    private volatile PrinterStatus lastStatus;

    /** Only touched on the worker thread. */
    private long handledAtCompaction;

    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(r -> daemon(r, "scanorder-agent-worker"));
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "scanorder-agent-timer"));

    /**
     * Wires the application; nothing talks to the network until {@link #start()}. The journal is
     * owned by the caller (it outlives a failed start).
     */
    public AgentApplication(
            Settings settings,
            Transport transport,
            PrinterDriver printer,
            TicketJournal journal,
            Clock clock) {
        this.settings = settings;
        this.transport = transport;
        this.journal = journal;
        this.ticketsTopic = DeviceChannel.TICKETS.topic(settings.storeCode(), settings.deviceId());
        this.alarms = new AlarmMonitor(transport, settings.deviceId(), clock);
        this.printer = new ObservedPrinter(printer);
        this.processor =
                new TicketProcessor(
                        journal,
                        codec,
                        this.printer,
                        ack -> transport.publish(DeviceChannel.ACKS, ack));
        this.heartbeat =
                new Heartbeat(
                        transport,
                        this::health,
                        settings.heartbeatInterval(),
                        settings.deviceId(),
                        settings.agentVersion(),
                        clock);
        this.pushed =
                new PushedConfig(
                        settings.storeCode(),
                        settings.deviceId(),
                        DeviceType.PRINTER,
                        settings.configFile(),
                        counters,
                        this::apply);
        heartbeat.configRevision(pushed::revision);
        // the last pushed settings hold from the first ticket on, broker or not
        pushed.loadStored();
    }

    /** Makes a pushed config take effect: the next ticket and the next heartbeat use it. */
    private void apply(DeviceConfig config) {
        DeviceConfig.Printer p = config.printer();
        boolean configured =
                printer.configure(
                        new PrintOptions(
                                PaperWidth.ofMillimetres(p.paperWidthMm()), p.copies(), p.cut()));
        if (!configured) {
            LOG.log(
                    Level.WARNING,
                    "the printer driver cannot change paper width, copies or cut; it prints as"
                            + " configured at start");
        }
        heartbeat.interval(config.heartbeatInterval());
    }

    /**
     * Connects (retrying with back-off until the broker answers), finishes what the journal says
     * was left unfinished, subscribes to tickets and starts heartbeats and printer polling.
     *
     * @throws InterruptedException if stopped while waiting for the broker
     */
    public void start() throws InterruptedException {
        Startup.connect(transport);
        // queued before the subscription, so recovery runs before any new ticket
        worker.execute(
                guarded(
                        "recovery",
                        () -> {
                            processor.recover();
                            journal.compact();
                        }));
        Startup.subscribe(transport, DeviceChannel.TICKETS, (channel, payload) -> receive(payload));
        // after tickets: tickets queued in the persistent session arrive right after connecting
        // and need their handler at once; the stored config is in force already
        pushed.subscribe(transport);
        heartbeat.start();
        long pollMs = settings.printerPoll().toMillis();
        timer.scheduleWithFixedDelay(this::queuePoll, 0, pollMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Called on the transport's thread for every payload on the tickets topic. Garbage is dropped
     * here (logged with topic and reason, counted) so it never reaches the worker; a valid ticket
     * is journaled before returning, which is when the broker learns it was delivered.
     */
    private void receive(byte[] payload) {
        if (payload.length > TicketCodec.MAX_BYTES) {
            counters.droppedOversized.incrementAndGet();
            LOG.log(
                    Level.WARNING,
                    "dropped payload on "
                            + ticketsTopic
                            + ": "
                            + payload.length
                            + " bytes, more than the "
                            + TicketCodec.MAX_BYTES
                            + " a ticket may have (dropped so far: "
                            + counters.dropped()
                            + ")");
            return;
        }
        KitchenTicket ticket;
        try {
            ticket = codec.decode(payload);
        } catch (TicketRejectedException e) {
            counters.droppedInvalid.incrementAndGet();
            LOG.log(
                    Level.WARNING,
                    "dropped payload on "
                            + ticketsTopic
                            + ": "
                            + e.getMessage()
                            + " (dropped so far: "
                            + counters.dropped()
                            + ")");
            return;
        }
        journal.received(ticket.ticketId(), payload);
        worker.execute(guarded("ticket " + ticket.ticketId(), () -> handle(payload)));
    }

    private void handle(byte[] payload) {
        Outcome outcome = processor.onPayload(payload);
        switch (outcome) {
            case PRINTED, PRINTED_ACK_PENDING -> counters.printed.incrementAndGet();
            case FAILED, FAILED_ACK_PENDING -> counters.failed.incrementAndGet();
            case DUPLICATE -> counters.duplicates.incrementAndGet();
            case REJECTED -> counters.droppedInvalid.incrementAndGet();
        }
    }

    private void queuePoll() {
        if (pollQueued.compareAndSet(false, true)) {
            worker.execute(
                    guarded(
                            "printer poll",
                            () -> {
                                pollQueued.set(false);
                                poll();
                            }));
        }
    }

    /** One status reading (which also drives alarms) and a retry of acks not sent yet. */
    private void poll() {
        printer.status();
        if (transport.isConnected()) {
            processor.retryAcks();
        }
        long handled = counters.printed() + counters.failed() + counters.duplicates();
        if (handled - handledAtCompaction >= COMPACT_EVERY) {
            // the journal is append-only: keep it from growing without bound
            journal.compact();
            handledAtCompaction = handled;
        }
    }

    /** The health the next heartbeat reports. */
    DeviceHealth health() {
        PrinterStatus s = lastStatus;
        int depth = journal.pendingCount();
        if (s == null) {
            return new DeviceHealth(Paper.UNKNOWN, Cover.UNKNOWN, Link.UNKNOWN, depth);
        }
        Link link = !s.reachable() ? Link.UNREACHABLE : s.online() ? Link.ONLINE : Link.OFFLINE;
        return new DeviceHealth(s.paper(), s.cover(), link, depth);
    }

    /** Counters since start. */
    public AgentCounters counters() {
        return counters;
    }

    /** The pushed config in force; empty while the agent runs with its file's settings. */
    public Optional<DeviceConfig> pushedConfig() {
        return pushed.current();
    }

    /** Time between heartbeats now (the pushed config's, else the agent file's). */
    public Duration heartbeatInterval() {
        return heartbeat.interval();
    }

    /** Alarms the server has been told are active. */
    public Set<Alarm> activeAlarms() {
        return alarms.active();
    }

    /** Stops polling and heartbeats, lets the ticket in hand finish, and disconnects. */
    @Override
    public void close() {
        timer.shutdownNow();
        heartbeat.close();
        worker.shutdown();
        try {
            if (!worker.awaitTermination(35, TimeUnit.SECONDS)) {
                worker.shutdownNow();
            }
        } catch (InterruptedException e) {
            worker.shutdownNow();
            Thread.currentThread().interrupt();
        }
        transport.close();
    }

    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                // the worker must survive anything one task does
                LOG.log(Level.ERROR, what + " failed", e);
            }
        };
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The printer as the processor sees it, feeding every status it learns into alarms. */
    private final class ObservedPrinter implements PrinterDriver {
        private final PrinterDriver delegate;

        ObservedPrinter(PrinterDriver delegate) {
            this.delegate = delegate;
        }

        @Override
        public PrintResult print(KitchenTicket ticket) {
            return print(ticket, JobProgress.NONE);
        }

        /**
         * Forwarded, not left to the interface's default: the default can only say "sending" up
         * front, so the journal would never learn that a whole job had left and a restart would
         * have to answer every ticket in hand INTERRUPTED.
         */
        @Override
        public PrintResult print(KitchenTicket ticket, JobProgress progress) {
            PrintResult result = delegate.print(ticket, progress);
            observe(result.status());
            return result;
        }

        @Override
        public PrinterStatus status() {
            PrinterStatus status = delegate.status();
            observe(status);
            return status;
        }

        @Override
        public boolean configure(PrintOptions options) {
            return delegate.configure(options);
        }

        void observe(PrinterStatus status) {
            lastStatus = status;
            alarms.observe(status);
        }
    }
}
