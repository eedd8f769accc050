package io.scanorder.agent.app;

import io.scanorder.agent.config.AgentConfig.DeviceType;
import io.scanorder.agent.config.DeviceConfig;
import io.scanorder.agent.config.DeviceConfigCodec;
import io.scanorder.agent.config.DeviceConfigException;
import io.scanorder.agent.config.DeviceConfigFile;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.Transport;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The device settings the order service pushes on the retained {@code config} topic, shared by the
 * device applications: a valid document of a new revision is applied (through the application's
 * {@code applier}) and stored, so a restart without broker still runs with it; anything unusable is
 * logged with the topic and the reason, counted, and the settings in force are kept. Knows no MQTT:
 * it sees the {@link Transport}'s channels only.
 */
final class PushedConfig {

    private static final System.Logger LOG = System.getLogger(PushedConfig.class.getName());

    private final DeviceConfigCodec codec;
    private final DeviceConfigFile file;
    private final AgentCounters counters;
    private final Consumer<DeviceConfig> applier;
    private final String topic;
    private volatile DeviceConfig current;

    /**
     * @param file where the applied document is kept; null to keep nothing (tests, tools)
     * @param applier makes a config take effect; called on the transport's thread
     */
    PushedConfig(
            String storeCode,
            String deviceId,
            DeviceType type,
            DeviceConfigFile file,
            AgentCounters counters,
            Consumer<DeviceConfig> applier) {
        this.codec = new DeviceConfigCodec(storeCode, deviceId, type);
        this.file = file;
        this.counters = counters;
        this.applier = applier;
        this.topic = DeviceChannel.CONFIG.topic(storeCode, deviceId);
    }

    /** Applies the stored document, if there is a usable one (at start, before connecting). */
    void loadStored() {
        if (file == null) {
            return;
        }
        byte[] stored;
        try {
            Optional<byte[]> read = file.read();
            if (read.isEmpty()) {
                return;
            }
            stored = read.get();
        } catch (UncheckedIOException e) {
            LOG.log(
                    Level.WARNING,
                    e.getMessage()
                            + " ("
                            + e.getCause().getMessage()
                            + "); running with the agent file's settings until the service"
                            + " pushes a config");
            return;
        }
        try {
            DeviceConfig config = codec.decode(stored);
            applier.accept(config);
            current = config;
            counters.configsApplied.incrementAndGet();
            LOG.log(
                    Level.INFO,
                    "running with the stored pushed config "
                            + config.summary()
                            + " from "
                            + file.path());
        } catch (DeviceConfigException | RuntimeException e) {
            counters.configsRefused.incrementAndGet();
            LOG.log(
                    Level.WARNING,
                    "stored pushed config "
                            + file.path()
                            + " is not usable ("
                            + e.getMessage()
                            + "); running with the agent file's settings until the service"
                            + " pushes a config");
        }
    }

    /**
     * Subscribes to the config topic; the retained document arrives at once, and again after every
     * reconnection (the same revision is then ignored).
     */
    void subscribe(Transport transport) throws InterruptedException {
        Startup.subscribe(transport, DeviceChannel.CONFIG, (channel, payload) -> receive(payload));
    }

    /** One payload from the config topic; never throws. */
    void receive(byte[] payload) {
        if (payload.length == 0) {
            // the service clears the retained document when the device is deregistered
            LOG.log(
                    Level.WARNING,
                    "config on "
                            + topic
                            + " was withdrawn (empty retained message: is the device still"
                            + " registered?); keeping "
                            + inForce());
            return;
        }
        DeviceConfig next;
        try {
            next = codec.decode(payload);
        } catch (DeviceConfigException e) {
            refused(e.getMessage());
            return;
        }
        DeviceConfig now = current;
        if (now != null && now.revision().equals(next.revision())) {
            LOG.log(Level.DEBUG, "config revision " + next.revision() + " is already in force");
            return;
        }
        try {
            applier.accept(next);
        } catch (RuntimeException e) {
            refused("applying it failed: " + e);
            return;
        }
        current = next;
        counters.configsApplied.incrementAndGet();
        LOG.log(Level.INFO, "applied config " + next.summary() + " from " + topic);
        if (file != null) {
            try {
                file.write(payload);
            } catch (UncheckedIOException e) {
                LOG.log(
                        Level.WARNING,
                        e.getMessage()
                                + " ("
                                + e.getCause().getMessage()
                                + "): the config is in force, but a restart without broker"
                                + " would run with older settings");
            }
        }
    }

    private void refused(String why) {
        long n = counters.configsRefused.incrementAndGet();
        LOG.log(
                Level.WARNING,
                "refused config on "
                        + topic
                        + ": "
                        + why
                        + "; keeping "
                        + inForce()
                        + " (refused so far: "
                        + n
                        + ")");
    }

    private String inForce() {
        DeviceConfig now = current;
        return now == null ? "the agent file's settings" : "config " + now.summary();
    }

    /** The pushed config in force, empty while the agent runs with its file's settings. */
    Optional<DeviceConfig> current() {
        return Optional.ofNullable(current);
    }

    /** Revision of the config in force, "" for none (reported in heartbeats). */
    String revision() {
        DeviceConfig now = current;
        return now == null ? "" : now.revision();
    }
}
