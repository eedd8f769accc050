package io.scanorder.order.kitchen;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Heartbeats received but not yet written, at most one per device: a newer heartbeat of a device
 * replaces the one waiting (keeping its place in line), so a backlog holds one entry per device
 * instead of growing with the message rate. Bounded by the number of devices it holds; when full, a
 * heartbeat of a device not yet waiting is dropped (the device beats again next interval).
 * Thread-safe: the MQTT callback thread offers, one writer thread takes.
 */
final class HeartbeatQueue {

    /** One received heartbeat. */
    record Beat(
            String storeCode,
            String deviceId,
            DeviceHealthUpdates.Heartbeat heartbeat,
            Instant at) {
        String key() {
            return storeCode + "/" + deviceId;
        }
    }

    /** What {@link #offer} did with a heartbeat. */
    enum Offer {
        /** Queued; no heartbeat of this device was waiting. */
        QUEUED,
        /** Replaced an older heartbeat of the same device that was still waiting (one dropped). */
        SUPERSEDED,
        /** Dropped: the queue holds {@code capacity} other devices already. */
        FULL
    }

    private final int capacity;
    private final LinkedHashMap<String, Beat> waiting = new LinkedHashMap<>();

    HeartbeatQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "heartbeat queue capacity must be at least 1 but was " + capacity);
        }
        this.capacity = capacity;
    }

    synchronized Offer offer(Beat beat) {
        String key = beat.key();
        Beat older = waiting.get(key);
        if (older != null) {
            // put() on an existing key keeps the insertion position: no device jumps the line
            waiting.put(key, newer(older, beat));
            return Offer.SUPERSEDED;
        }
        if (waiting.size() >= capacity) {
            return Offer.FULL;
        }
        waiting.put(key, beat);
        notifyAll();
        return Offer.QUEUED;
    }

    /**
     * Takes up to {@code max} heartbeats, oldest first, waiting up to {@code waitMillis} for the
     * first one; an empty list when none arrived in time.
     */
    synchronized List<Beat> take(int max, long waitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + waitMillis;
        while (waiting.isEmpty()) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return List.of();
            }
            wait(left);
        }
        List<Beat> batch = new ArrayList<>(Math.min(max, waiting.size()));
        Iterator<Beat> it = waiting.values().iterator();
        while (it.hasNext() && batch.size() < max) {
            batch.add(it.next());
            it.remove();
        }
        return batch;
    }

    /**
     * Puts back heartbeats whose write failed, unless a newer one of the device arrived meanwhile;
     * returns how many could not be put back because the queue is full.
     */
    synchronized int putBack(List<Beat> beats) {
        int dropped = 0;
        for (Beat b : beats) {
            Beat current = waiting.get(b.key());
            if (current != null) {
                waiting.put(b.key(), newer(current, b));
            } else if (waiting.size() < capacity) {
                waiting.put(b.key(), b);
            } else {
                dropped++;
            }
        }
        notifyAll();
        return dropped;
    }

    /** Forgets the device's waiting heartbeat (its last will said it is gone); true if one was. */
    synchronized boolean discard(String storeCode, String deviceId) {
        return waiting.remove(storeCode + "/" + deviceId) != null;
    }

    /** Whether a heartbeat of the device is waiting to be written. */
    synchronized boolean isWaiting(String storeCode, String deviceId) {
        return waiting.containsKey(storeCode + "/" + deviceId);
    }

    synchronized int size() {
        return waiting.size();
    }

    int capacity() {
        return capacity;
    }

    private static Beat newer(Beat a, Beat b) {
        return b.at().isBefore(a.at()) ? a : b;
    }
}
