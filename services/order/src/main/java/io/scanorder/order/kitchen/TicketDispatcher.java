package io.scanorder.order.kitchen;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.jboss.logging.Logger;

/**
 * Runs kitchen dispatch on this replica: connects to the broker, publishes due outbox tickets to
 * the routed device (again with back-off until acked), feeds device messages to {@link
 * DeviceMessages}, marks silent devices offline, refreshes the kitchen gauges and keeps the pickup
 * LED boards current ({@link PickupDisplay}). Disabled, with a log line saying so, when {@code
 * scanorder.kitchen.mqtt.uri} is not set.
 */
@ApplicationScoped
public class TicketDispatcher {
    private static final Logger LOG = Logger.getLogger(TicketDispatcher.class);

    @Inject KitchenConfig config;
    @Inject TicketOutbox outbox;
    @Inject DeviceMessages messages;
    @Inject DeviceHealthUpdates health;
    @Inject KitchenMetrics metrics;
    @Inject Transactions transactions;
    @Inject PickupDisplay display;
    @Inject DeviceConfigPush configPush;

    /** Consecutive failures are tracked for at most this many tickets (else forgotten). */
    private static final int MAX_TRACKED_FAILURES = 10_000;

    private final String owner = "order-" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<UUID, Integer> publishFailures = new ConcurrentHashMap<>();
    private ScheduledExecutorService scheduler;
    private KitchenMqttClient mqtt;

    void onStart(@Observes StartupEvent event) {
        scheduler =
                Executors.newScheduledThreadPool(
                        2,
                        r -> {
                            Thread t = new Thread(r, "kitchen-dispatch");
                            t.setDaemon(true);
                            return t;
                        });
        KitchenConfig.Dispatch d = config.dispatch();
        every(d.metricsRefreshInterval(), "kitchen metrics", () -> metrics.refresh(transactions));
        Optional<String> uri = config.mqtt().uri().filter(u -> !u.isBlank());
        if (uri.isEmpty()) {
            LOG.info(
                    "kitchen dispatch disabled: scanorder.kitchen.mqtt.uri is not set, so kitchen"
                            + " tickets stay in the outbox and device health is not observed");
            return;
        }
        String password =
                config.mqtt()
                        .password()
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "scanorder.kitchen.mqtt.password must be set when"
                                                        + " scanorder.kitchen.mqtt.uri is ("
                                                        + uri.get()
                                                        + ")"));
        mqtt =
                new KitchenMqttClient(
                        uri.get(),
                        config.mqtt().username(),
                        password,
                        messages::handle,
                        KitchenTopics.ACKS,
                        KitchenTopics.HEARTBEAT,
                        KitchenTopics.ALARMS,
                        KitchenTopics.STATUS);
        display.attach(mqtt);
        configPush.attach(mqtt);
        // a board that missed a publish while the service was away is right again at once, and
        // so is a device whose config changed meanwhile
        mqtt.onConnected(
                () -> {
                    display.refreshAll(true);
                    configPush.refreshAll(true);
                });
        scheduler.execute(this::connect);
        every(d.pollInterval(), "outbox dispatch", this::dispatchDue);
        every(d.healthCheckInterval(), "device offline check", this::checkSilentDevices);
        every(
                config.display().refreshInterval(),
                "pickup display refresh",
                () -> display.refreshAll(false));
        every(
                config.configPush().refreshInterval(),
                "device config refresh",
                () -> configPush.refreshAll(false));
        LOG.infof(
                "kitchen dispatch enabled: broker %s as service account '%s' (replica %s)",
                uri.get(), config.mqtt().username(), owner);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        if (mqtt != null) {
            mqtt.close();
        }
    }

    private void connect() {
        try {
            mqtt.connect();
        } catch (MqttException e) {
            LOG.errorf(
                    "kitchen dispatch cannot connect to the broker (%s); retrying in 5 s. Check"
                            + " scanorder.kitchen.mqtt.uri and the service account credentials",
                    e.getMessage());
            scheduler.schedule(this::connect, 5, TimeUnit.SECONDS);
        }
    }

    private void every(Duration interval, String what, Runnable job) {
        long ms = interval.toMillis();
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        job.run();
                    } catch (RuntimeException e) {
                        // a thrown exception would cancel the schedule for good
                        LOG.warnf("%s failed, retrying next tick: %s", what, e.getMessage());
                    }
                },
                ms,
                ms,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Publishes every due ticket once; returns how many were published. The claimed batch is
     * published concurrently (the MQTT client keeps at most the server's receive maximum in flight
     * and makes the rest wait for a slot), then each outcome is recorded.
     */
    int dispatchDue() {
        if (mqtt == null || !mqtt.isConnected()) {
            return 0;
        }
        KitchenConfig.Dispatch d = config.dispatch();
        List<UUID> claimed = outbox.claim(owner, d.batchSize(), d.lease(), Instant.now());
        List<InFlight> inFlight = new ArrayList<>(claimed.size());
        for (UUID id : claimed) {
            Optional<TicketOutbox.Publish> p =
                    outbox.route(id, owner, d.retryInitial(), Instant.now());
            if (p.isEmpty()) {
                continue;
            }
            try {
                inFlight.add(
                        new InFlight(
                                p.get(),
                                mqtt.publishAsync(
                                        p.get().topic(),
                                        p.get().payload(),
                                        config.mqtt().ticketExpiry())));
            } catch (MqttException e) {
                publishFailed(p.get(), e);
            }
        }
        int published = 0;
        for (InFlight f : inFlight) {
            try {
                KitchenMqttClient.awaitPuback(f.puback(), f.publish().topic());
                publishFailures.remove(f.publish().messageId());
                outbox.sent(f.publish(), owner, Instant.now(), backoff(f.publish().attempts()));
                published++;
            } catch (MqttException e) {
                publishFailed(f.publish(), e);
            } catch (RuntimeException e) {
                // record the others of the batch; this one is published again after its lease
                LOG.warnf(
                        "recording the publish of ticket %s failed (%s); it is published again"
                                + " when its lease ends",
                        f.publish().ticketId(), e.getMessage());
            }
        }
        return published;
    }

    /** A publish handed to the MQTT client, awaiting its PUBACK. */
    private record InFlight(TicketOutbox.Publish publish, CompletableFuture<Void> puback) {}

    private void publishFailed(TicketOutbox.Publish p, MqttException e) {
        String error =
                "publish to "
                        + p.topic()
                        + " failed: "
                        + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause().getMessage() + ")");
        int failures = publishFailures.merge(p.messageId(), 1, Integer::sum);
        if (publishFailures.size() > MAX_TRACKED_FAILURES) {
            // tickets another replica finished are never seen again here
            publishFailures.clear();
        }
        Duration retry = publishRetry(failures);
        LOG.warnf("%s; trying again in %d ms", error, retry.toMillis());
        outbox.publishFailed(p, owner, error, Instant.now(), retry);
    }

    /**
     * Wait before trying a ticket again after its {@code failures}-th consecutive failed publish:
     * short (a full in-flight window or a reconnect clears quickly), doubling up to the maximum.
     */
    Duration publishRetry(int failures) {
        KitchenConfig.Dispatch d = config.dispatch();
        Duration wait =
                d.publishRetryInitial().multipliedBy(1L << Math.min(Math.max(failures, 1) - 1, 10));
        return wait.compareTo(d.publishRetryMax()) > 0 ? d.publishRetryMax() : wait;
    }

    /** Wait before publishing a ticket again that has been published {@code attempts} times. */
    Duration backoff(int attempts) {
        KitchenConfig.Dispatch d = config.dispatch();
        Duration wait = d.retryInitial().multipliedBy(1L << Math.min(attempts, 10));
        return wait.compareTo(d.retryMax()) > 0 ? d.retryMax() : wait;
    }

    private void checkSilentDevices() {
        health.markSilentDevicesOffline(Instant.now());
    }
}
