package io.scanorder.wechatsim.pay.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Test controls over notification delivery, so every case a merchant must survive can be driven:
 * lost attempts, suppressed notifications, delays, duplicates and reordering. Each setting applies
 * to notifications created after it is made.
 */
public final class DeliveryControls {
    /** The order in which {@link #release} sends held notifications. */
    public enum ReleaseOrder {
        AS_CREATED,
        REVERSED
    }

    private final Notifier notifier;
    private int dropAttempts;
    private int suppress;
    private int copies = 1;
    private Duration delay = Duration.ZERO;
    private boolean holding;
    private final List<OutgoingNotification> held = new ArrayList<>();

    DeliveryControls(Notifier notifier) {
        this.notifier = notifier;
    }

    /** The next {@code attempts} delivery attempts are lost as if the network dropped them. */
    public synchronized DeliveryControls dropNextAttempts(int attempts) {
        dropAttempts = requireNonNegative(attempts, "attempts");
        return this;
    }

    /** The next {@code notifications} notifications are never sent at all. */
    public synchronized DeliveryControls suppressNext(int notifications) {
        suppress = requireNonNegative(notifications, "notifications");
        return this;
    }

    /** Each following notification is sent {@code copies} times (1 restores normal delivery). */
    public synchronized DeliveryControls duplicate(int copies) {
        if (copies < 1) {
            throw new IllegalArgumentException("copies must be >= 1, got " + copies);
        }
        this.copies = copies;
        return this;
    }

    /** Following notifications wait this long before their first attempt. */
    public synchronized DeliveryControls delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, got " + delay);
        }
        this.delay = delay;
        return this;
    }

    /** Following notifications are held back until {@link #release}. */
    public synchronized DeliveryControls hold() {
        holding = true;
        return this;
    }

    /** Stops holding and sends what was held, one after another, in the given order. */
    public void release(ReleaseOrder order) {
        List<OutgoingNotification> batch;
        synchronized (this) {
            holding = false;
            batch = new ArrayList<>(held);
            held.clear();
        }
        if (order == ReleaseOrder.REVERSED) {
            java.util.Collections.reverse(batch);
        }
        notifier.start(batch);
    }

    /** Back to normal delivery; held notifications stay held until released. */
    public synchronized DeliveryControls reset() {
        dropAttempts = 0;
        suppress = 0;
        copies = 1;
        delay = Duration.ZERO;
        return this;
    }

    public synchronized int heldCount() {
        return held.size();
    }

    synchronized boolean takeSuppressed() {
        if (suppress > 0) {
            suppress--;
            return true;
        }
        return false;
    }

    synchronized boolean holdIfHolding(OutgoingNotification notification) {
        if (holding) {
            held.add(notification);
        }
        return holding;
    }

    synchronized boolean takeDrop() {
        if (dropAttempts > 0) {
            dropAttempts--;
            return true;
        }
        return false;
    }

    synchronized int copies() {
        return copies;
    }

    synchronized Duration delay() {
        return delay;
    }

    private static int requireNonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
        return value;
    }
}
