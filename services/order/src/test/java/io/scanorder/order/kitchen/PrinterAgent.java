package io.scanorder.order.kitchen;

import io.scanorder.agent.app.AgentApplication;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.emulator.PrintedJob;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.agent.printer.EscPosPrinterDriver;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.printer.TicketLayout;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.testkit.MqttBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The real device agent (Paho transport, journal, ESC/POS driver) printing on a printer emulator,
 * connected to the embedded broker under its own device credentials: a kitchen printer for tests.
 */
final class PrinterAgent implements AutoCloseable {
    final String deviceId;
    final PrinterEmulator printer;
    private final EscPosPrinterDriver driver;
    private final TicketJournal journal;
    private final AgentApplication app;

    private PrinterAgent(
            String deviceId,
            PrinterEmulator printer,
            EscPosPrinterDriver driver,
            TicketJournal journal,
            AgentApplication app) {
        this.deviceId = deviceId;
        this.printer = printer;
        this.driver = driver;
        this.journal = journal;
        this.app = app;
    }

    /** Starts an agent with a 1 s heartbeat and printer poll. */
    static PrinterAgent start(MqttBroker broker, String storeCode, String deviceId)
            throws Exception {
        String password = "pw-" + deviceId;
        broker.addDevice(storeCode, deviceId, password);
        PrinterEmulator printer = PrinterEmulator.start(0, PaperWidth.MM80.columns());
        Path dir = Files.createTempDirectory("kitchen-agent-");
        Properties p = new Properties();
        p.setProperty(AgentConfig.STORE_CODE, storeCode);
        p.setProperty(AgentConfig.DEVICE_ID, deviceId);
        p.setProperty(AgentConfig.DEVICE_TYPE, "printer");
        p.setProperty(AgentConfig.BROKER_URI, broker.uri());
        p.setProperty(AgentConfig.BROKER_PASSWORD, password);
        p.setProperty(AgentConfig.HEARTBEAT_INTERVAL, "1");
        p.setProperty(AgentConfig.PRINTER_HOST, "127.0.0.1");
        p.setProperty(AgentConfig.PRINTER_PORT, String.valueOf(printer.port()));
        p.setProperty(AgentConfig.PRINTER_POLL, "1");
        p.setProperty(AgentConfig.JOURNAL_FILE, dir.resolve("tickets.journal").toString());
        AgentConfig config = AgentConfig.from(p, Map.of());
        EscPosPrinterDriver driver =
                new EscPosPrinterDriver(
                        EscPosPrinterDriver.Settings.of("127.0.0.1", printer.port()),
                        new TicketLayout(PaperWidth.MM80, ZoneId.of("Asia/Shanghai")));
        TicketJournal journal = TicketJournal.open(config.journalFile());
        AgentApplication app =
                new AgentApplication(
                        new AgentApplication.Settings(
                                storeCode,
                                deviceId,
                                config.heartbeatInterval(),
                                config.printerPoll(),
                                "0.1.0-test"),
                        new PahoTransport(config),
                        driver,
                        journal,
                        Clock.systemUTC());
        app.start();
        return new PrinterAgent(deviceId, printer, driver, journal, app);
    }

    /** Texts of the receipts printed so far. */
    List<String> receipts() {
        return printer.jobs().stream().map(PrintedJob::text).toList();
    }

    @Override
    public void close() throws Exception {
        app.close();
        journal.close();
        driver.close();
        printer.close();
    }
}
