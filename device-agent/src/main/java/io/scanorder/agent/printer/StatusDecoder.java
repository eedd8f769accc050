package io.scanorder.agent.printer;

import io.scanorder.agent.heartbeat.DeviceHealth.Cover;
import io.scanorder.agent.heartbeat.DeviceHealth.Paper;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the answers to DLE EOT 1 (printer), 2 (offline cause), 3 (error cause) and 4 (roll paper
 * sensor) as the Epson ESC/POS reference defines them. Every status byte looks like 0xx1xx10; a
 * byte that does not is not a status answer and is refused.
 */
final class StatusDecoder {

    /** The four real-time status requests, sent together (the printer answers in order). */
    static final byte[] REQUEST = {0x10, 4, 1, 0x10, 4, 2, 0x10, 4, 3, 0x10, 4, 4};

    /** The peer answered something that is not an ESC/POS status byte. */
    static final class NotAStatusByte extends Exception {
        NotAStatusByte(String message) {
            super(message);
        }
    }

    private StatusDecoder() {}

    static PrinterStatus decode(int printer, int offlineCause, int errorCause, int paperSensor)
            throws NotAStatusByte {
        check(1, printer);
        check(2, offlineCause);
        check(3, errorCause);
        check(4, paperSensor);
        boolean online = (printer & 0x08) == 0;
        boolean coverOpen = (offlineCause & 0x04) != 0;
        boolean paperEnd = (offlineCause & 0x20) != 0 || (paperSensor & 0x60) != 0;
        boolean nearEnd = (paperSensor & 0x0C) != 0;
        List<String> problems = new ArrayList<>();
        if (paperEnd) {
            problems.add("paper out");
        }
        if (coverOpen) {
            problems.add("cover open");
        }
        if ((offlineCause & 0x40) != 0) {
            problems.add(errorCause(errorCause));
        }
        if (!online && problems.isEmpty()) {
            problems.add("offline without a reported cause");
        }
        return new PrinterStatus(
                true,
                online && !paperEnd && !coverOpen,
                paperEnd ? Paper.OUT : nearEnd ? Paper.LOW : Paper.OK,
                coverOpen ? Cover.OPEN : Cover.CLOSED,
                String.join(", ", problems));
    }

    private static String errorCause(int b) {
        List<String> causes = new ArrayList<>();
        if ((b & 0x04) != 0) {
            causes.add("recoverable error");
        }
        if ((b & 0x08) != 0) {
            causes.add("autocutter error");
        }
        if ((b & 0x20) != 0) {
            causes.add("unrecoverable error");
        }
        if ((b & 0x40) != 0) {
            causes.add("automatically recoverable error");
        }
        return causes.isEmpty() ? "error" : String.join(", ", causes);
    }

    private static void check(int n, int b) throws NotAStatusByte {
        if ((b & 0b1001_0011) != 0b0001_0010) {
            throw new NotAStatusByte(
                    String.format(
                            "printer answered 0x%02X to DLE EOT %d, which is not a status byte",
                            b, n));
        }
    }
}
