package io.scanorder.agent.ticket;

import io.scanorder.agent.printer.PrintResult;
import io.scanorder.agent.printer.PrinterDriver;
import io.scanorder.agent.ticket.TicketJournal.Entry;
import io.scanorder.agent.ticket.TicketJournal.State;
import java.lang.System.Logger.Level;

/**
 * The agent's ticket logic, knowing neither MQTT nor ESC/POS: journal a received ticket, print it
 * once, then ack; on a redelivery re-send the ack instead of printing again; after a restart finish
 * whatever the journal says is unfinished.
 *
 * <p>Exactly-once printing holds except in one window no printer protocol can close: a crash after
 * the printer confirmed but before PRINTED reached the disk reprints that ticket.
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
            // a previous attempt failed before its FAILED ack got out: try again
            case RECEIVED -> print(ticket);
            case PRINTED -> {
                ack(TicketAck.printed(ticket.ticketId()));
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
     * Finishes what the journal says is unfinished, e.g. after a restart or a reconnection:
     * re-sends acks of printed tickets and prints received ones.
     */
    public synchronized void recover() {
        for (Entry entry : journal.pending()) {
            if (entry.state() == State.PRINTED) {
                ack(TicketAck.printed(entry.ticketId()));
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

    private Outcome print(KitchenTicket ticket) {
        PrintResult result = printer.print(ticket);
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
        return ack(TicketAck.failed(ticket.ticketId(), result.reason(), result.detail()))
                ? Outcome.FAILED
                : Outcome.FAILED_ACK_PENDING;
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
