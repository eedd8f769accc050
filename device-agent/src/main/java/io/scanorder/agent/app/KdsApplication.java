package io.scanorder.agent.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanorder.agent.config.AgentConfig.DeviceType;
import io.scanorder.agent.config.DeviceConfig;
import io.scanorder.agent.heartbeat.DeviceHealth;
import io.scanorder.agent.heartbeat.DeviceHealth.Cover;
import io.scanorder.agent.heartbeat.DeviceHealth.Link;
import io.scanorder.agent.heartbeat.DeviceHealth.Paper;
import io.scanorder.agent.heartbeat.Heartbeat;
import io.scanorder.agent.kds.KdsBoard;
import io.scanorder.agent.kds.KdsStatus;
import io.scanorder.agent.kds.KdsWebServer;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.TicketCodec;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.ticket.TicketJournal.State;
import io.scanorder.agent.ticket.TicketRejectedException;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.Transport;
import io.scanorder.agent.transport.TransportException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The KDS tablet agent: tickets from the {@code tickets} topic go on a local web page (see {@link
 * KdsWebServer}) instead of paper; a ticket is acked {@code DISPLAYED} when it first appears, and
 * each bump on the page acks {@code COOKING}, then {@code READY}, on the {@code acks} topic.
 *
 * <p>The ticket journal makes a ticket appear once: a redelivery of a ticket on the screen repeats
 * its {@code DISPLAYED} ack, a redelivery of a ticket already READY repeats the READY ack; after a
 * restart, tickets not yet READY are back on the screen (as {@code DISPLAYED}). Acks that cannot be
 * sent (broker away) are kept in order and retried every second.
 */
public final class KdsApplication implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(KdsApplication.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentApplication.Settings settings;
    private final Transport transport;
    private final TicketJournal journal;
    private final TicketCodec codec = new TicketCodec();
    private final KdsBoard board = new KdsBoard();
    private final KdsWebServer web;
    private final Heartbeat heartbeat;
    private final PushedConfig pushed;
    private final AgentCounters counters = new AgentCounters();
    private final String ticketsTopic;
    private final ConcurrentLinkedQueue<byte[]> unsentAcks = new ConcurrentLinkedQueue<>();
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(r -> daemon(r, "scanorder-kds-worker"));
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "scanorder-kds-timer"));

    /**
     * Wires the application and binds the web page's address; nothing talks to the broker until
     * {@link #start()}. The journal is owned by the caller.
     *
     * @throws java.io.UncheckedIOException if the page's address cannot be bound
     */
    public KdsApplication(
            AgentApplication.Settings settings,
            Transport transport,
            TicketJournal journal,
            InetSocketAddress pageAddress,
            Clock clock) {
        this.settings = settings;
        this.transport = transport;
        this.journal = journal;
        this.ticketsTopic = DeviceChannel.TICKETS.topic(settings.storeCode(), settings.deviceId());
        this.web =
                new KdsWebServer(
                        pageAddress,
                        settings.deviceId(),
                        board,
                        this::bump,
                        transport::isConnected);
        this.heartbeat =
                new Heartbeat(
                        transport,
                        () ->
                                new DeviceHealth(
                                        Paper.UNKNOWN,
                                        Cover.UNKNOWN,
                                        Link.ONLINE,
                                        board.cards().size()),
                        settings.heartbeatInterval(),
                        settings.deviceId(),
                        settings.agentVersion(),
                        clock);
        // heartbeat interval (and, for printers, more) as the order service last pushed it
        this.pushed =
                new PushedConfig(
                        settings.storeCode(),
                        settings.deviceId(),
                        DeviceType.KDS_TABLET,
                        settings.configFile(),
                        counters,
                        config -> heartbeat.interval(config.heartbeatInterval()));
        heartbeat.configRevision(pushed::revision);
        pushed.loadStored();
    }

    /**
     * Shows what the journal says is still open, serves the page, then connects (retrying until the
     * broker answers), subscribes to tickets and starts heartbeats and ack retries.
     *
     * @throws InterruptedException if stopped while waiting for the broker
     */
    public void start() throws InterruptedException {
        for (TicketJournal.Entry entry : journal.pending()) {
            try {
                board.add(codec.decode(entry.payload()));
            } catch (TicketRejectedException e) {
                LOG.log(
                        Level.ERROR,
                        "journaled ticket " + entry.ticketId() + ": " + e.getMessage());
            }
        }
        web.start();
        LOG.log(Level.INFO, "KDS page on port " + web.port());
        Startup.connect(transport);
        Startup.subscribe(transport, DeviceChannel.TICKETS, (channel, payload) -> receive(payload));
        pushed.subscribe(transport);
        heartbeat.start();
        timer.scheduleWithFixedDelay(() -> worker.execute(this::sendAcks), 1, 1, TimeUnit.SECONDS);
    }

    /** On the transport's thread: journal first, so the broker learns of delivery after it. */
    private void receive(byte[] payload) {
        if (payload.length > TicketCodec.MAX_BYTES) {
            counters.droppedOversized.incrementAndGet();
            LOG.log(
                    Level.WARNING,
                    "dropped payload on "
                            + ticketsTopic
                            + ": "
                            + payload.length
                            + " bytes, more than "
                            + TicketCodec.MAX_BYTES);
            return;
        }
        KitchenTicket ticket;
        try {
            ticket = codec.decode(payload);
        } catch (TicketRejectedException e) {
            counters.droppedInvalid.incrementAndGet();
            LOG.log(Level.WARNING, "dropped payload on " + ticketsTopic + ": " + e.getMessage());
            return;
        }
        String id = ticket.ticketId();
        if (journal.received(id, payload)) {
            board.add(ticket);
            ack(id, KdsStatus.DISPLAYED);
            return;
        }
        counters.duplicates.incrementAndGet();
        Optional<TicketJournal.Entry> entry = journal.entry(id);
        if (entry.isPresent() && entry.get().state() == State.ACKED) {
            // already READY: the server did not get that ack, so repeat it
            queue(entry.get().payload());
        } else {
            board.add(ticket);
            ack(id, KdsStatus.DISPLAYED);
        }
    }

    /** On an HTTP thread: one step for a ticket, reported to the server. */
    private Optional<KdsBoard.Bump> bump(String ticketId) {
        Optional<KdsBoard.Bump> bump = board.bump(ticketId);
        bump.ifPresent(
                b -> {
                    byte[] ack = encode(ticketId, b.to());
                    if (b.to() == KdsStatus.READY) {
                        // off the screen for good, also after a restart
                        journal.acked(ticketId, ack);
                    }
                    queue(ack);
                });
        return bump;
    }

    private void ack(String ticketId, KdsStatus status) {
        queue(encode(ticketId, status));
    }

    private void queue(byte[] ack) {
        unsentAcks.add(ack);
        worker.execute(this::sendAcks);
    }

    /** On the worker: sends queued acks in order, stopping at the first that cannot go. */
    private void sendAcks() {
        byte[] next;
        while ((next = unsentAcks.peek()) != null) {
            try {
                transport.publish(DeviceChannel.ACKS, next);
                unsentAcks.poll();
            } catch (TransportException e) {
                LOG.log(
                        Level.WARNING,
                        unsentAcks.size() + " ack(s) not sent, retrying: " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "sending acks failed", e);
                return;
            }
        }
    }

    /** {@code {"ticketId":"T-1","status":"COOKING"}}: the ack format of the printer agent. */
    static byte[] encode(String ticketId, KdsStatus status) {
        ObjectNode ack = JSON.createObjectNode();
        ack.put("ticketId", ticketId);
        ack.put("status", status.name());
        try {
            return JSON.writeValueAsBytes(ack);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an ack", e);
        }
    }

    /** The tickets on the screen. */
    public KdsBoard board() {
        return board;
    }

    /** The port the page is served on. */
    public int pagePort() {
        return web.port();
    }

    /** The pushed config in force; empty while the agent runs with its file's settings. */
    public Optional<DeviceConfig> pushedConfig() {
        return pushed.current();
    }

    /** Time between heartbeats now (the pushed config's, else the agent file's). */
    public Duration heartbeatInterval() {
        return heartbeat.interval();
    }

    public AgentCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        heartbeat.close();
        web.close();
        worker.shutdown();
        try {
            worker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
