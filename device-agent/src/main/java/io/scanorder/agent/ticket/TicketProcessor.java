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
 * <p>At most once on paper: PRINTING is journaled before the job goes to the printer, and a ticket
 * found PRINTING after a restart (the agent died mid-job, so nobody knows what reached the paper)
 * is never printed again; it is answered FAILED with reason {@code INTERRUPTED} so the server
 * decides (staff check, or the backup device). A ticket found SENT (the whole job had left for the
 * printer when the agent died) is on paper if the printer is ready now: it is acked PRINTED, so no
 * backup prints it a second time; if the printer reports a problem it is INTERRUPTED as well.
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
                Level.WARNING,
                "ticket "
                        + ticketId
                        + " was at the printer when the agent stopped; not printing it again");
        return fail(
                TicketAck.failed(
                        ticketId,
                        FailureReason.INTERRUPTED,
                        "agent stopped mid-print; check the paper, not reprinted here"));
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
                    Level.WARNING,
                    "ticket "
                            + ticketId
                            + " had been sent to the printer when the agent stopped and the"
                            + " printer now reports "
                            + now.problem()
                            + "; not printing it again");
            return fail(
                    TicketAck.failed(
                            ticketId,
                            FailureReason.INTERRUPTED,
                            "agent stopped after sending the job and the printer now reports "
                                    + now.problem()
                                    + "; check the paper, not reprinted here"));
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
        journal.printing(ticket.ticketId());
        PrintResult result = printer.print(ticket, () -> journal.sent(ticket.ticketId()));
        if (result.confirmed()) {
            journal.printed(ticket.ticketId());
            return ack(TicketAck.printed(ticket.ticketId()))
                    ? Outcome.PRINTED
                    : Outcome.PRINTED_ACK_PENDING;
        }
        LOG.log(
                Level.WARNING,
                "ticket "
                        + ticket.ticketId()
                        + " not printed: "
                        + result.reason()
                        + " "
                        + result.detail());
        return fail(TicketAck.failed(ticket.ticketId(), result.reason(), result.detail()));
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
