package io.scanorder.order.kitchen;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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

    private final String owner = "order-" + UUID.randomUUID().toString().substring(0, 8);
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
        // a board that missed a publish while the service was away is right again at once
        mqtt.onConnected(() -> display.refreshAll(true));
        scheduler.execute(this::connect);
        every(d.pollInterval(), "outbox dispatch", this::dispatchDue);
        every(d.healthCheckInterval(), "device offline check", this::checkSilentDevices);
        every(
                config.display().refreshInterval(),
                "pickup display refresh",
                () -> display.refreshAll(false));
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

    /** Publishes every due ticket once; returns how many were published. */
    int dispatchDue() {
        if (mqtt == null || !mqtt.isConnected()) {
            return 0;
        }
        KitchenConfig.Dispatch d = config.dispatch();
        List<UUID> claimed = outbox.claim(owner, d.batchSize(), d.lease(), Instant.now());
        int published = 0;
        for (UUID id : claimed) {
            Optional<TicketOutbox.Publish> p =
                    outbox.route(id, owner, d.retryInitial(), Instant.now());
            if (p.isEmpty()) {
                continue;
            }
            try {
                mqtt.publish(p.get().topic(), p.get().payload(), config.mqtt().ticketExpiry());
                outbox.sent(p.get(), owner, Instant.now(), backoff(p.get().attempts()));
                published++;
            } catch (MqttException e) {
                String error = "publish to " + p.get().topic() + " failed: " + e.getMessage();
                LOG.warn(error);
                outbox.publishFailed(p.get(), owner, error, Instant.now(), d.retryInitial());
            }
        }
        return published;
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
