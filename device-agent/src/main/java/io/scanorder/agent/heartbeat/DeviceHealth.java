package io.scanorder.agent.heartbeat;

/**
 * What the device's driver knows about its hardware at one moment.
 *
 * @param paper paper state of a printer
 * @param cover cover state of a printer
 * @param printer whether the printer answers and can print
 * @param queueDepth tickets received but not yet acked
 */
public record DeviceHealth(Paper paper, Cover cover, Link printer, int queueDepth) {

    /** Nothing known yet: no driver has reported. */
    public static final DeviceHealth UNKNOWN =
            new DeviceHealth(Paper.UNKNOWN, Cover.UNKNOWN, Link.UNKNOWN, 0);

    /** Paper state, as ESC/POS status bytes can report it. */
    public enum Paper {
        OK,
        LOW,
        OUT,
        UNKNOWN
    }

    /** Printer cover state. */
    public enum Cover {
        CLOSED,
        OPEN,
        UNKNOWN
    }

    /** Whether the printer can be reached and is ready. */
    public enum Link {
        /** Answers status and can print. */
        ONLINE,
        /** Answers status but cannot print now (paper, cover or an error). */
        OFFLINE,
        /** Does not answer at all. */
        UNREACHABLE,
        /** Not asked yet. */
        UNKNOWN
    }

    public DeviceHealth {
        if (paper == null || cover == null || printer == null) {
            throw new IllegalArgumentException(
                    "paper, cover and printer must be given (use UNKNOWN)");
        }
        if (queueDepth < 0) {
            throw new IllegalArgumentException("queueDepth must be >= 0 but was " + queueDepth);
        }
    }
}
