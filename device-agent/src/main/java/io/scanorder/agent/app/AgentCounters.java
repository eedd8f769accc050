package io.scanorder.agent.app;

import java.util.concurrent.atomic.AtomicLong;

/** What the agent has done since it started; read by tests, logs and the heartbeat. */
public final class AgentCounters {

    final AtomicLong droppedOversized = new AtomicLong();
    final AtomicLong droppedInvalid = new AtomicLong();
    final AtomicLong printed = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong duplicates = new AtomicLong();
    final AtomicLong configsApplied = new AtomicLong();
    final AtomicLong configsRefused = new AtomicLong();

    /** Payloads on the tickets topic dropped for being larger than a ticket can be. */
    public long droppedOversized() {
        return droppedOversized.get();
    }

    /** Payloads on the tickets topic dropped for not being a valid ticket. */
    public long droppedInvalid() {
        return droppedInvalid.get();
    }

    /** All dropped payloads. */
    public long dropped() {
        return droppedOversized() + droppedInvalid();
    }

    /** Tickets printed and confirmed by the printer. */
    public long printed() {
        return printed.get();
    }

    /** Tickets answered FAILED. */
    public long failed() {
        return failed.get();
    }

    /** Redeliveries answered by repeating the ack. */
    public long duplicates() {
        return duplicates.get();
    }

    /** Pushed configs applied (a new revision, or the stored one at start). */
    public long configsApplied() {
        return configsApplied.get();
    }

    /** Pushed configs refused as unusable (the config in force was kept). */
    public long configsRefused() {
        return configsRefused.get();
    }
}
