package io.scanorder.agent.printer;

import io.scanorder.agent.heartbeat.DeviceHealth.Cover;
import io.scanorder.agent.heartbeat.DeviceHealth.Paper;
import java.util.Optional;

/**
 * What the printer reported through DLE EOT, or that it could not be asked.
 *
 * @param reachable whether the printer answered at all
 * @param online whether it can print now (not stopped by paper end, open cover or an error)
 * @param paper paper state, {@code UNKNOWN} if unreachable
 * @param cover cover state, {@code UNKNOWN} if unreachable
 * @param problem why it cannot print (or cannot be reached), empty when it can
 */
public record PrinterStatus(
        boolean reachable, boolean online, Paper paper, Cover cover, String problem) {

    public static PrinterStatus unreachable(String problem) {
        return new PrinterStatus(false, false, Paper.UNKNOWN, Cover.UNKNOWN, problem);
    }

    /** The reason a job must not be printed or confirmed now, if any. */
    public Optional<FailureReason> failure() {
        if (!reachable) {
            return Optional.of(FailureReason.PRINTER_UNREACHABLE);
        }
        if (paper == Paper.OUT) {
            return Optional.of(FailureReason.PAPER_OUT);
        }
        if (cover == Cover.OPEN) {
            return Optional.of(FailureReason.COVER_OPEN);
        }
        if (!online) {
            return Optional.of(FailureReason.PRINTER_ERROR);
        }
        return Optional.empty();
    }
}
