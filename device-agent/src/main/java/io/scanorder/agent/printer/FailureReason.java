package io.scanorder.agent.printer;

/** Why a print job was not confirmed; the first three match KitchenDevice alarms. */
public enum FailureReason {
    /** The roll is empty (before or during the job). */
    PAPER_OUT,
    /** The cover is open. */
    COVER_OPEN,
    /** No TCP connection, or no status answer within the timeout. */
    PRINTER_UNREACHABLE,
    /** The printer reported an error or answered something that is not ESC/POS status. */
    PRINTER_ERROR,
    /**
     * The agent stopped (crash, kill, power loss) while this ticket was at the printer: it may be
     * partly or fully on paper, so it is not printed again here; the server decides.
     */
    INTERRUPTED
}
