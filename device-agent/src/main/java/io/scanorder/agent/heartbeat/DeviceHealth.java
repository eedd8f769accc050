package io.scanorder.agent.heartbeat;

/**
 * What the device's driver knows about its hardware at one moment.
 *
 * @param paper paper state of a printer
 * @param cover cover state of a printer
 * @param queueDepth jobs waiting in the agent
 */
public record DeviceHealth(Paper paper, Cover cover, int queueDepth) {

    /** Nothing known yet: no driver has reported. */
    public static final DeviceHealth UNKNOWN = new DeviceHealth(Paper.UNKNOWN, Cover.UNKNOWN, 0);

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

    public DeviceHealth {
        if (paper == null || cover == null) {
            throw new IllegalArgumentException("paper and cover must be given (use UNKNOWN)");
        }
        if (queueDepth < 0) {
            throw new IllegalArgumentException("queueDepth must be >= 0 but was " + queueDepth);
        }
    }
}
