package io.scanorder.agent.ticket;

import io.scanorder.agent.printer.FailureReason;
import io.scanorder.agent.printer.PrintResult;
import io.scanorder.agent.printer.PrinterDriver;
import io.scanorder.agent.printer.PrinterStatus;
import io.scanorder.agent.ticket.TicketJournal.Entry;
import io.scanorder.agent.ticket.TicketJournal.State;
import java.lang.System.Logger.Level;

/**
 * The agent's ticket logic, knowing neither MQTT nor ESC/POS: journal a received ticket, print it
 * once, then ack; on a redelivery re-send the ack instead of printing again; after a restart finish
 * whatever the journal says is unfinished.
 *
 * <p>Exactly once on paper, or an honest "check the printer": the journal says PRINTING just before
 * the first byte of the job goes to the printer and SENT once all of it is in the printer's
 * connection. After a restart:
 *
 * <ul>
 *   <li>RECEIVED (the agent stopped while connecting or reading the printer's status: no byte of
 *       the job had left) is printed now, here;
 *   <li>SENT (the printer carried on with the whole job by itself) is acked PRINTED if the printer
 *       is ready now, so no backup prints it a second time;
 *   <li>PRINTING (part of the job may be on paper), or SENT with a printer that now reports a
 *       problem, is never printed again anywhere automatically: it is answered FAILED with reason
 *       {@code INTERRUPTED}, which tells the server "maybe on paper, staff must check" (the order
 *       service does not send it to another printer).
 * </ul>
 *
 * The same holds while running: a job that went out but whose confirmation never came (printer
 * unreachable or garbled after the job) is answered {@code INTERRUPTED}, not {@code
 * PRINTER_UNREACHABLE}, because the printer may well have printed it. A printer that says it
 * stopped (paper out, cover open) keeps its own reason: the ticket is incomplete and the backup
 * prints it.
 */
public final class TicketProcessor {

    /** Sends ack payloads to the server; throws if it could not (then it is retried later). */
    @FunctionalInterface
    public interface AckSender {
        void send(byte[] ackPayload) throws Exception;
    }

    /** What became of one payload. */
    public enum Outcome {
        /** Printed and acked now. */
        PRINTED,
        /** Printed, but the ack could not be sent yet. */
        PRINTED_ACK_PENDING,
        /** Not printed; a FAILED ack went to the server. */
        FAILED,
        /** Not printed and the FAILED ack could not be sent yet. */
        FAILED_ACK_PENDING,
        /** Seen before: its ack was re-sent, nothing printed. */
        DUPLICATE,
        /** Not a valid ticket: dropped and counted. */
        REJECTED
    }

    private static final System.Logger LOG = System.getLogger(TicketProcessor.class.getName());

    private final TicketJournal journal;
    private final TicketCodec codec;
    private final PrinterDriver printer;
    private final AckSender acks;

    public TicketProcessor(
            TicketJournal journal, TicketCodec codec, PrinterDriver printer, AckSender acks) {
        this.journal = journal;
        this.codec = codec;
        this.printer = printer;
        this.acks = acks;
    }

    /** Handles one payload from the {@code tickets} topic. */
    public synchronized Outcome onPayload(byte[] payload) {
        KitchenTicket ticket;
        try {
            ticket = codec.decode(payload);
        } catch (TicketRejectedException e) {
            LOG.log(Level.WARNING, "dropped ticket payload: " + e.getMessage());
            return Outcome.REJECTED;
        }
        if (journal.received(ticket.ticketId(), payload)) {
            return print(ticket);
        }
        State state = journal.state(ticket.ticketId()).orElseThrow();
        return switch (state) {
            // journaled by the receiving thread, not handled yet
            case RECEIVED -> print(ticket);
            case PRINTING -> interrupted(ticket.ticketId());
            case SENT -> sentBeforeStop(ticket.ticketId());
            case PRINTED -> {
                ack(TicketAck.printed(ticket.ticketId()));
                yield Outcome.DUPLICATE;
            }
            case FAILED -> {
                sendDecided(ticket.ticketId());
                yield Outcome.DUPLICATE;
            }
            case ACKED -> {
                // the server did not get our ack: repeat exactly what we said (printed or failed)
                send(ticket.ticketId(), journal.entry(ticket.ticketId()).orElseThrow().payload());
                yield Outcome.DUPLICATE;
            }
        };
    }

    /**
     * Re-sends acks that could not be sent earlier (printed or failed); prints nothing. Cheap to
     * call periodically, e.g. after a reconnection.
     */
    public synchronized void retryAcks() {
        for (Entry entry : journal.pending()) {
            if (entry.state() == State.PRINTED) {
                ack(TicketAck.printed(entry.ticketId()));
            } else if (entry.state() == State.FAILED) {
                sendDecided(entry.ticketId());
            }
        }
    }

    /**
     * Finishes what the journal says is unfinished after a restart: re-sends acks of printed and
     * failed tickets, answers interrupted ones FAILED/INTERRUPTED and prints received ones. Call it
     * once at start, before any new ticket is handled.
     */
    public synchronized void recover() {
        for (Entry entry : journal.pending()) {
            if (entry.state() == State.PRINTED) {
                ack(TicketAck.printed(entry.ticketId()));
            } else if (entry.state() == State.FAILED) {
                sendDecided(entry.ticketId());
            } else if (entry.state() == State.PRINTING) {
                interrupted(entry.ticketId());
            } else if (entry.state() == State.SENT) {
                sentBeforeStop(entry.ticketId());
            } else {
                try {
                    print(codec.decode(entry.payload()));
                } catch (TicketRejectedException e) {
                    // it was valid when journaled; a codec change must not wedge the queue
                    LOG.log(
                            Level.ERROR,
                            "journaled ticket " + entry.ticketId() + ": " + e.getMessage());
                }
            }
        }
    }

    private Outcome interrupted(String ticketId) {
        LOG.log(
                Level.ERROR,
                "ticket "
                        + ticketId
                        + " was being sent to the printer when the agent stopped: it may be partly"
                        + " or fully on paper; not printing it again. Staff: check the printer and"
                        + " reprint the order's ticket if it is missing or torn");
        return fail(
                TicketAck.failed(
                        ticketId,
                        FailureReason.INTERRUPTED,
                        "agent stopped while the job was being sent; it may be on paper: check the"
                                + " printer, reprint if missing"));
    }

    /**
     * The agent stopped after the whole job had left for the printer: the printer went on with it
     * on its own. If it is ready now (reachable, paper, cover closed) it printed the job: acked
     * PRINTED, never printed again. Otherwise the job may have stopped part-way: INTERRUPTED.
     */
    private Outcome sentBeforeStop(String ticketId) {
        PrinterStatus now = printer.status();
        if (now.failure().isPresent()) {
            LOG.log(
                    Level.ERROR,
                    "ticket "
                            + ticketId
                            + " had been sent to the printer when the agent stopped and the"
                            + " printer now reports "
                            + now.problem()
                            + "; it may be on paper, not printing it again. Staff: check the"
                            + " printer and reprint the order's ticket if it is missing or torn");
            return fail(
                    TicketAck.failed(
                            ticketId,
                            FailureReason.INTERRUPTED,
                            "agent stopped after sending the job and the printer now reports "
                                    + now.problem()
                                    + "; it may be on paper: check the printer, reprint if"
                                    + " missing"));
        }
        LOG.log(
                Level.INFO,
                "ticket "
                        + ticketId
                        + " had been sent to the printer when the agent stopped and the printer"
                        + " is ready: printed");
        journal.printed(ticketId);
        return ack(TicketAck.printed(ticketId)) ? Outcome.PRINTED : Outcome.PRINTED_ACK_PENDING;
    }

    private Outcome fail(TicketAck ack) {
        byte[] payload = ack.encode();
        journal.failed(ack.ticketId(), payload);
        return sendDecided(ack.ticketId()) ? Outcome.FAILED : Outcome.FAILED_ACK_PENDING;
    }

    /** Sends the FAILED ack journaled for {@code ticketId} and marks it ACKED once sent. */
    private boolean sendDecided(String ticketId) {
        byte[] payload = journal.entry(ticketId).orElseThrow().payload();
        if (!send(ticketId, payload)) {
            return false;
        }
        journal.acked(ticketId, payload);
        return true;
    }

    private Outcome print(KitchenTicket ticket) {
        String ticketId = ticket.ticketId();
        Progress progress = new Progress(ticketId);
        PrintResult result = printer.print(ticket, progress);
        if (result.confirmed()) {
            journal.printed(ticketId);
            return ack(TicketAck.printed(ticketId)) ? Outcome.PRINTED : Outcome.PRINTED_ACK_PENDING;
        }
        if (progress.started && unconfirmedMayHavePrinted(result.reason())) {
            // the job went out and no answer came back: on paper or not, nobody here knows
            LOG.log(
                    Level.ERROR,
                    "ticket "
                            + ticketId
                            + " was sent to the printer but not confirmed ("
                            + result.detail()
                            + "): it may be on paper; not printing it again. Staff: check the"
                            + " printer and reprint the order's ticket if it is missing");
            return fail(
                    TicketAck.failed(
                            ticketId,
                            FailureReason.INTERRUPTED,
                            "sent to the printer but not confirmed ("
                                    + result.reason()
                                    + ": "
                                    + result.detail()
                                    + "); it may be on paper: check the printer, reprint if"
                                    + " missing"));
        }
        LOG.log(
                Level.WARNING,
                "ticket " + ticketId + " not printed: " + result.reason() + " " + result.detail());
        return fail(TicketAck.failed(ticketId, result.reason(), result.detail()));
    }

    /**
     * After the job went out, no answer (unreachable) or a garbled one (printer error) says nothing
     * about the paper; paper out and cover open are the printer saying it stopped.
     */
    private static boolean unconfirmedMayHavePrinted(FailureReason reason) {
        return reason == FailureReason.PRINTER_UNREACHABLE || reason == FailureReason.PRINTER_ERROR;
    }

    /** Journals each step of a job before the driver takes the next one. */
    private final class Progress implements PrinterDriver.JobProgress {
        private final String ticketId;
        private boolean started;

        Progress(String ticketId) {
            this.ticketId = ticketId;
        }

        @Override
        public void sending() {
            // on disk before the first byte leaves: a restart then knows it may be on paper
            journal.printing(ticketId);
            started = true;
        }

        @Override
        public void sent() {
            journal.sent(ticketId);
            // a restart from here on acks it PRINTED if the printer is ready
            LOG.log(Level.INFO, "ticket " + ticketId + ": the whole job is at the printer");
        }
    }

    /** Sends and, once the server has it, journals ACKED; false if it has to be retried. */
    private boolean ack(TicketAck ack) {
        byte[] payload = ack.encode();
        if (!send(ack.ticketId(), payload)) {
            return false;
        }
        journal.acked(ack.ticketId(), payload);
        return true;
    }

    private boolean send(String ticketId, byte[] payload) {
        try {
            acks.send(payload);
            return true;
        } catch (Exception e) {
            LOG.log(
                    Level.WARNING,
                    "ack of " + ticketId + " not sent, will retry: " + e.getMessage());
            return false;
        }
    }
}
