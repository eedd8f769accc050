package io.scanorder.agent.printer;

import io.scanorder.agent.ticket.KitchenTicket;

/**
 * A kitchen printer as the agent's application logic sees it: no sockets, no ESC/POS. Methods block
 * for at most the driver's timeouts and never throw for printer trouble; they report it.
 */
public interface PrinterDriver {

    /**
     * What a driver reports while a job goes out, so the caller can journal each step before the
     * next one happens. A callback that throws stops the job there: a {@link #sending()} that
     * throws means no byte of the job is written.
     */
    interface JobProgress {
        /** Reports nothing. */
        JobProgress NONE =
                new JobProgress() {
                    @Override
                    public void sending() {}

                    @Override
                    public void sent() {}
                };

        /**
         * The first byte of the job is about to be written: from now on the printer may print some
         * or all of it whatever becomes of this process. Before this, nothing of the job has left
         * (at most a status request), so the job may safely be printed later, here or elsewhere.
         */
        void sending();

        /**
         * Every byte of the job is in the printer's connection: the printer prints it even if this
         * process dies now, unless the printer itself fails.
         */
        void sent();
    }

    /**
     * Prints every copy of {@code ticket}. The job is confirmed only if the printer was ready
     * before and reported no problem after the job; otherwise the result says why, and the ticket
     * may or may not be (partly) on paper.
     */
    PrintResult print(KitchenTicket ticket);

    /**
     * {@link #print(KitchenTicket)}, reporting to {@code progress} when the job starts to leave and
     * when all of it has left. This default cannot tell when bytes go out, so it says "sending"
     * before it starts and never "sent": a caller then treats the job as possibly on paper from the
     * first moment, which may leave a ticket for staff to check but never prints one twice. A
     * wrapper around another driver must forward this method, or it loses that driver's precision.
     */
    default PrintResult print(KitchenTicket ticket, JobProgress progress) {
        progress.sending();
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
