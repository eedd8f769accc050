package io.scanorder.agent.ticket;

/** A ticket payload was refused; the message names the field and what is wrong with it. */
public class TicketRejectedException extends Exception {
    public TicketRejectedException(String message) {
        super(message);
    }
}
