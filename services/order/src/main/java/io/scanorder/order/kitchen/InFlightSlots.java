package io.scanorder.order.kitchen;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the QoS 1 publishes of one MQTT connection that still wait for their PUBACK and makes a
 * caller wait (bounded) for a free slot instead of exceeding the limit: MQTT 5 forbids more
 * unacknowledged publishes than the server's receive maximum (CONNACK), and Paho refuses the excess
 * with "Too many publishes in progress" instead of queueing it.
 *
 * <p>A new connection starts a new generation: the slots of publishes of an earlier connection
 * (whose acks will never come with a clean start) are dropped, and their late releases ignored.
 */
final class InFlightSlots {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int limit;
    private int inUse;
    private int peak;
    private long generation;

    InFlightSlots(int limit) {
        this.limit = checked(limit);
    }

    /** A held slot; {@link #release()} is idempotent. */
    final class Slot {
        private final long of;
        private boolean released;

        private Slot(long of) {
            this.of = of;
        }

        void release() {
            lock.lock();
            try {
                if (released) {
                    return;
                }
                released = true;
                if (of == generation) {
                    inUse--;
                    freed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Waits up to {@code timeoutMs} for a free slot.
     *
     * @return the slot, or null when none became free in time
     */
    Slot acquire(long timeoutMs) throws InterruptedException {
        long left = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (inUse >= limit) {
                if (left <= 0) {
                    return null;
                }
                left = freed.awaitNanos(left);
            }
            inUse++;
            peak = Math.max(peak, inUse);
            return new Slot(generation);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits up to {@code timeoutMs} until some slot is released (after the client refused a publish
     * because its own count was full). Returns false on timeout.
     */
    boolean awaitRelease(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            return freed.await(timeoutMs, TimeUnit.MILLISECONDS);
        } finally {
            lock.unlock();
        }
    }

    /** A new connection: slots of the old one are void; {@code newLimit} from its CONNACK. */
    void reset(int newLimit) {
        lock.lock();
        try {
            generation++;
            inUse = 0;
            limit = checked(newLimit);
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The server's limit now in force. */
    int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    /** Publishes awaiting their PUBACK now. */
    int inUse() {
        lock.lock();
        try {
            return inUse;
        } finally {
            lock.unlock();
        }
    }

    /** The most publishes that were ever in flight at once. */
    int peak() {
        lock.lock();
        try {
            return peak;
        } finally {
            lock.unlock();
        }
    }

    private static int checked(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException(
                    "the in-flight publish limit must be at least 1, got " + limit);
        }
        return limit;
    }
}
