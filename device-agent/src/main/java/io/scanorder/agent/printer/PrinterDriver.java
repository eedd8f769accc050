package io.scanorder.agent.printer;

import io.scanorder.agent.ticket.KitchenTicket;

/**
 * A kitchen printer as the agent's application logic sees it: no sockets, no ESC/POS. Methods block
 * for at most the driver's timeouts and never throw for printer trouble; they report it.
 */
public interface PrinterDriver {

    /**
     * Prints every copy of {@code ticket}. The job is confirmed only if the printer was ready
     * before and reported no problem after the job; otherwise the result says why, and the ticket
     * may or may not be (partly) on paper.
     */
    PrintResult print(KitchenTicket ticket);

    /**
     * {@link #print(KitchenTicket)}, calling {@code jobSent} once every byte of the job has been
     * handed to the printer's connection, before the printer confirms it: from then on the printer
     * prints the job even if this process dies. A driver that cannot tell never calls it.
     */
    default PrintResult print(KitchenTicket ticket, Runnable jobSent) {
        return print(ticket);
    }

    /** Asks the printer for paper, cover and online state now. */
    PrinterStatus status();

    /**
     * Prints the tickets that start after this call with {@code options} (paper width, copies,
     * cut). Returns false if this driver cannot change how it prints; it then prints as before.
     */
    default boolean configure(PrintOptions options) {
        return false;
    }
}
