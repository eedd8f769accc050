package io.scanorder.order.kitchen;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.jboss.logging.Logger;

/**
 * One daemon thread that runs a retained-topic publisher's work in the order it was asked for (the
 * pickup boards, the device configs), so this replica's last publish on a topic is also its newest.
 * A task that fails is logged with what the periodic refresh will do about it; work asked for
 * before the MQTT client is attached or after shutdown is dropped, since attaching and the refresh
 * publish everything anyway.
 */
final class SerialPublisher {
    private static final Logger LOG = Logger.getLogger(SerialPublisher.class);

    private final String what;
    private final ExecutorService worker;
    private volatile KitchenMqttClient mqtt;

    /**
     * @param thread name of the worker thread
     * @param what what the work does, for logs ("pushing device configs")
     */
    SerialPublisher(String thread, String what) {
        this.what = what;
        this.worker =
                Executors.newSingleThreadExecutor(
                        r -> {
                            Thread t = new Thread(r, thread);
                            t.setDaemon(true);
                            return t;
                        });
    }

    /** Starts publishing through {@code client} (kitchen dispatch is enabled). */
    void attach(KitchenMqttClient client) {
        this.mqtt = client;
    }

    /** The client while it is connected, else null (the reconnection publishes everything). */
    KitchenMqttClient connected() {
        KitchenMqttClient client = mqtt;
        return client != null && client.isConnected() ? client : null;
    }

    /** Queues {@code task} behind the work already asked for. */
    void submit(Runnable task) {
        if (mqtt == null) {
            return;
        }
        try {
            worker.execute(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            LOG.warnf(
                                    "%s failed (%s); the periodic refresh tries again",
                                    what, e.getMessage());
                        }
                    });
        } catch (RejectedExecutionException e) {
            LOG.debugf("%s after shutdown ignored", what);
        }
    }

    void shutdown() {
        worker.shutdownNow();
    }
}
