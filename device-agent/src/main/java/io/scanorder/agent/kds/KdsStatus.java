package io.scanorder.agent.kds;

/**
 * Where a ticket is on the kitchen display; each is also the {@code status} of the ack the tablet
 * sends on its {@code acks} topic, {@code {"ticketId":"T-1","status":"COOKING"}}.
 */
public enum KdsStatus {
    /** On the screen, nobody started it yet (acked when it first appears). */
    DISPLAYED,
    /** A cook bumped it once: being prepared. */
    COOKING,
    /** Bumped again: ready for the pass; it leaves the screen. */
    READY;

    /** The status one bump leads to, or null if there is none. */
    KdsStatus next() {
        return switch (this) {
            case DISPLAYED -> COOKING;
            case COOKING -> READY;
            case READY -> null;
        };
    }
}
