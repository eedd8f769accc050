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

    /** Asks the printer for paper, cover and online state now. */
    PrinterStatus status();
}
