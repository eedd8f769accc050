package io.scanorder.order.kitchen;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Takes heartbeats off the MQTT callback thread: {@link #offer} only queues them ({@link
 * HeartbeatQueue}, newest per device), and one writer thread records them in batches, one statement
 * and one transaction per batch ({@link DeviceHealthUpdates#recordHeartbeats}). So a slow database
 * delays heartbeats instead of stalling every other device message, and a backlog costs one waiting
 * heartbeat per device, not one per message.
 */
@ApplicationScoped
public class HeartbeatWriter {
    private static final Logger LOG = Logger.getLogger(HeartbeatWriter.class);
    private static final long IDLE_WAIT_MS = 500;
    private static final long FAILURE_PAUSE_MS = 1_000;

    @Inject DeviceHealthUpdates health;
    @Inject KitchenMetrics metrics;
    @Inject KitchenConfig config;

    private volatile HeartbeatQueue queue;
    private volatile Thread writer;

    void onStart(@Observes StartupEvent event) {
        queue();
        Thread t = new Thread(this::run, "kitchen-heartbeat-writer");
        t.setDaemon(true);
        writer = t;
        t.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Thread t = writer;
        writer = null;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Queues a heartbeat received now (called on the MQTT callback thread; never blocks long). */
    void offer(String storeCode, String deviceId, DeviceHealthUpdates.Heartbeat hb, Instant at) {
        switch (queue().offer(new HeartbeatQueue.Beat(storeCode, deviceId, hb, at))) {
            case QUEUED -> {}
            case SUPERSEDED -> metrics.heartbeatDropped("superseded");
            case FULL -> metrics.heartbeatDropped("queue_full");
        }
    }

    /** Forgets a waiting heartbeat of a device that said it is gone (its last will). */
    void discard(String storeCode, String deviceId) {
        queue().discard(storeCode, deviceId);
    }

    /** Whether a heartbeat of the device was received and is not written yet. */
    boolean isWaiting(String storeCode, String deviceId) {
        return queue().isWaiting(storeCode, deviceId);
    }

    /** Heartbeats waiting to be written. */
    int waiting() {
        return queue().size();
    }

    private HeartbeatQueue queue() {
        HeartbeatQueue q = queue;
        if (q == null) {
            synchronized (this) {
                if (queue == null) {
                    queue = new HeartbeatQueue(config.health().heartbeatQueueCapacity());
                    HeartbeatQueue created = queue;
                    metrics.watchHeartbeatQueue(created::size);
                }
                q = queue;
            }
        }
        return q;
    }

    private void run() {
        HeartbeatQueue q = queue();
        int batchSize = Math.max(1, config.health().heartbeatBatchSize());
        boolean failing = false;
        while (writer == Thread.currentThread()) {
            List<HeartbeatQueue.Beat> batch;
            try {
                batch = q.take(batchSize, IDLE_WAIT_MS);
            } catch (InterruptedException e) {
                return;
            }
            if (batch.isEmpty()) {
                continue;
            }
            try {
                int recorded = health.recordHeartbeats(batch);
                metrics.heartbeatsRecorded(recorded);
                if (failing) {
                    LOG.infof("device heartbeats are written again (%d waiting)", q.size());
                    failing = false;
                }
                if (recorded < batch.size()) {
                    LOG.debugf(
                            "%d of %d heartbeats were from unregistered devices or older than the"
                                    + " one recorded",
                            batch.size() - recorded, batch.size());
                }
            } catch (RuntimeException e) {
                metrics.healthWriteFailed("heartbeats");
                int lost = q.putBack(batch);
                for (int i = 0; i < lost; i++) {
                    metrics.heartbeatDropped("queue_full");
                }
                if (!failing) {
                    // one line per outage, not one per batch
                    LOG.errorf(
                            "writing %d device heartbeats failed; they wait and are retried every"
                                    + " %d ms, devices may be reported offline meanwhile: %s",
                            batch.size(), FAILURE_PAUSE_MS, e.getMessage());
                    failing = true;
                }
                try {
                    Thread.sleep(FAILURE_PAUSE_MS);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }
}
