package io.scanorder.e2e;

import io.scanorder.agent.AgentMain;
import io.scanorder.agent.app.AgentApplication;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.printer.EscPosPrinterDriver;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.printer.TicketLayout;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.PahoTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Properties;

/**
 * The in-process agent of one printer of the local platform, which can be stopped and started again
 * on the same journal: fault drills stop it to run the device elsewhere (a child process, behind a
 * proxy) and start it again before they return.
 */
final class PrinterAgent implements AutoCloseable {
    private final Properties properties;
    private final PaperWidth width;
    private final ZoneId zone;
    private TicketJournal journal;
    private EscPosPrinterDriver driver;
    private AgentApplication app;

    PrinterAgent(Properties properties, PaperWidth width, ZoneId zone) {
        this.properties = properties;
        this.width = width;
        this.zone = zone;
    }

    /** The device id (its MQTT user and client id). */
    String deviceId() {
        return properties.getProperty(AgentConfig.DEVICE_ID);
    }

    /**
     * A copy of the agent's configuration (broker URI and password, printer address, journal file),
     * in the keys of the agent's configuration file.
     */
    Properties configuration() {
        Properties copy = new Properties();
        copy.putAll(properties);
        return copy;
    }

    /**
     * Another agent of the same device and journal that connects to the broker at {@code brokerUri}
     * (e.g. through a proxy); run at most one of them at a time.
     */
    PrinterAgent connectingTo(String brokerUri) {
        Properties other = configuration();
        other.setProperty(AgentConfig.BROKER_URI, brokerUri);
        return new PrinterAgent(other, width, zone);
    }

    /** Opens the journal and connects; the agent finishes what the journal left unfinished. */
    synchronized PrinterAgent start() {
        if (app != null) {
            throw new IllegalStateException("the agent of " + deviceId() + " is already running");
        }
        AgentConfig config;
        try {
            config = AgentConfig.from(properties, Map.of());
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "KitchenDevice " + deviceId() + ": agent configuration refused: " + e, e);
        }
        try {
            Files.createDirectories(config.journalFile().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the device journal folder " + config.journalFile().getParent(),
                    e);
        }
        journal = TicketJournal.open(config.journalFile());
        driver =
                new EscPosPrinterDriver(
                        EscPosPrinterDriver.Settings.of(config.printerHost(), config.printerPort()),
                        new TicketLayout(width, zone));
        app =
                new AgentApplication(
                        new AgentApplication.Settings(
                                config.storeCode(),
                                config.deviceId(),
                                config.heartbeatInterval(),
                                config.printerPoll(),
                                AgentMain.version()),
                        new PahoTransport(config),
                        driver,
                        journal,
                        Clock.systemUTC());
        try {
            app.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw new IllegalStateException(
                    "interrupted while the agent of " + deviceId() + " connected", e);
        }
        return this;
    }

    synchronized boolean running() {
        return app != null;
    }

    /** Disconnects and closes the journal, as a clean stop of the agent process; idempotent. */
    synchronized void stop() {
        if (app == null) {
            return;
        }
        try {
            app.close();
        } finally {
            driver.close();
            journal.close();
            app = null;
            driver = null;
            journal = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
