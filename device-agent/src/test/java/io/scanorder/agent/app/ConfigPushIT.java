package io.scanorder.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.config.AgentConfig.DeviceType;
import io.scanorder.agent.config.DeviceConfig;
import io.scanorder.agent.config.DeviceConfigCodec;
import io.scanorder.agent.emulator.PrintedJob;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.agent.emulator.RenderedLine;
import io.scanorder.agent.printer.EscPosPrinterDriver;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.printer.TicketLayout;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.TicketCodec;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.testkit.FreePorts;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import io.scanorder.testkit.MqttServiceClient.Received;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config push end to end on the device side: the whole printer agent (real Paho transport, journal,
 * ESC/POS driver, printer emulator) against the embedded HiveMQ broker with the ScanOrder
 * extension, a service client publishing the retained config document as the order service does.
 */
class ConfigPushIT {

    private static final String STORE = "022";
    private static final AtomicInteger DEVICES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private MqttBroker broker;
    private PrinterEmulator printer;
    private EscPosPrinterDriver driver;
    private MqttServiceClient service;
    private String deviceId;
    private final TicketCodec codec = new TicketCodec();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<String> logLines = new CopyOnWriteArrayList<>();
    private final Logger pushedConfigLog = Logger.getLogger(PushedConfig.class.getName());
    private final Handler capture =
            new Handler() {
                @Override
                public void publish(LogRecord record) {
                    logLines.add(record.getLevel() + " " + record.getMessage());
                }

                @Override
                public void flush() {}

                @Override
                public void close() {}
            };

    @BeforeEach
    void start() throws Exception {
        broker = MqttBroker.shared();
        deviceId = "cfg-printer-" + DEVICES.incrementAndGet() + "-" + System.nanoTime() % 10_000;
        broker.addDevice(STORE, deviceId, "pw-" + deviceId);
        printer = PrinterEmulator.start(0, PaperWidth.MM80.columns());
        driver = newDriver();
        service =
                new MqttServiceClient(broker, "config-it-service", "config-it-pw")
                        .subscribe(topic(DeviceChannel.ACKS), topic(DeviceChannel.HEARTBEAT));
        pushedConfigLog.addHandler(capture);
    }

    @AfterEach
    void stop() throws Exception {
        pushedConfigLog.removeHandler(capture);
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        service.close();
        driver.close();
        printer.close();
    }

    private EscPosPrinterDriver newDriver() {
        return new EscPosPrinterDriver(
                EscPosPrinterDriver.Settings.of("127.0.0.1", printer.port()),
                new TicketLayout(PaperWidth.MM80, ZoneId.of("Asia/Shanghai")));
    }

    private String topic(DeviceChannel channel) {
        return channel.topic(STORE, deviceId);
    }

    private AgentConfig config(String brokerUri) {
        Properties p = new Properties();
        p.setProperty("store.code", STORE);
        p.setProperty("device.id", deviceId);
        p.setProperty("device.type", "printer");
        p.setProperty("broker.uri", brokerUri);
        p.setProperty("broker.password", "pw-" + deviceId);
        // long, so that only a pushed interval makes heartbeats frequent
        p.setProperty("heartbeat.interval.seconds", "30");
        p.setProperty("printer.host", "127.0.0.1");
        p.setProperty("printer.port", String.valueOf(printer.port()));
        p.setProperty("printer.poll.seconds", "1");
        p.setProperty("journal.file", dir.resolve("tickets.journal").toString());
        return AgentConfig.from(p, Map.of());
    }

    /** A new agent process (journal, transport, pushed-config file beside the journal). */
    private AgentApplication newAgent(String brokerUri, EscPosPrinterDriver printerDriver) {
        AgentConfig config = config(brokerUri);
        TicketJournal journal = TicketJournal.open(config.journalFile());
        AgentApplication app =
                new AgentApplication(
                        new AgentApplication.Settings(
                                STORE,
                                deviceId,
                                config.heartbeatInterval(),
                                config.printerPoll(),
                                "it",
                                dir.resolve("device-config.json")),
                        new PahoTransport(config),
                        printerDriver,
                        journal,
                        Clock.systemUTC());
        running.add(journal);
        running.add(app);
        return app;
    }

    private AgentApplication startAgent() throws Exception {
        AgentApplication app = newAgent(broker.uri(), driver);
        app.start();
        return app;
    }

    private void stopAgent(AgentApplication app) throws Exception {
        int i = running.indexOf(app);
        app.close();
        running.get(i - 1).close();
        running.remove(i);
        running.remove(i - 1);
    }

    private DeviceConfig printerConfig(String revision, int widthMm, int copies, int heartbeatS) {
        return printerConfig(revision, widthMm, copies, true, heartbeatS);
    }

    private DeviceConfig printerConfig(
            String revision, int widthMm, int copies, boolean cut, int heartbeatS) {
        return new DeviceConfig(
                1,
                revision,
                STORE,
                deviceId,
                DeviceType.PRINTER,
                "PRIMARY",
                List.of("hot"),
                Duration.ofSeconds(heartbeatS),
                new DeviceConfig.Printer(widthMm, copies, cut));
    }

    private void push(DeviceConfig config) throws Exception {
        push(DeviceConfigCodec.encode(config));
    }

    private void push(byte[] payload) throws Exception {
        service.publishRetained(topic(DeviceChannel.CONFIG), payload);
    }

    private static Optional<String> revision(AgentApplication app) {
        return app.pushedConfig().map(DeviceConfig::revision);
    }

    private void sendTicket(String id) throws Exception {
        service.publish(
                topic(DeviceChannel.TICKETS),
                codec.encode(
                        new KitchenTicket(
                                id,
                                "0042",
                                STORE,
                                "A12",
                                "hot",
                                Instant.parse("2025-01-01T04:34:00Z"),
                                List.of(new KitchenTicket.Line("宫保鸡丁", 2, "大份", "不要辣")),
                                1)));
    }

    private static int widestLine(PrintedJob job) {
        return job.lines().stream().mapToInt(RenderedLine::columns).max().orElse(0);
    }

    private List<JsonNode> heartbeats() {
        List<JsonNode> beats = new ArrayList<>();
        for (Received r : service.on(topic(DeviceChannel.HEARTBEAT))) {
            try {
                beats.add(JSON.readTree(r.text()));
            } catch (IOException e) {
                throw new AssertionError("heartbeat is not JSON: " + r.text(), e);
            }
        }
        return beats;
    }

    private long heartbeatsWithRevision(String revision) {
        return heartbeats().stream()
                .filter(h -> revision.equals(h.path("configRevision").asText(null)))
                .count();
    }

    @Test
    void pushedPaperWidthAndCopiesAreUsedForTheNextTicket() throws Exception {
        AgentApplication agent = startAgent();
        sendTicket("T-80");
        await().atMost(WAIT).until(() -> printer.jobs().size() == 1);
        assertThat(widestLine(printer.jobs().get(0))).isEqualTo(PaperWidth.MM80.columns());

        push(printerConfig("r-58x2", 58, 2, 30));
        await().atMost(WAIT).until(() -> revision(agent).equals(Optional.of("r-58x2")));
        sendTicket("T-58");

        // the ticket asks for one copy; the pushed config says two
        await().atMost(WAIT).until(() -> printer.jobs().size() == 3);
        for (PrintedJob job : printer.jobs().subList(1, 3)) {
            assertThat(widestLine(job)).isEqualTo(PaperWidth.MM58.columns());
            assertThat(job.text()).contains("T-58");
        }
        assertThat(printer.jobs().get(2).text()).contains("copy 2/2");
        assertThat(printer.jobs()).allMatch(PrintedJob::cut);
        assertThat(agent.counters().configsApplied()).isEqualTo(1);
        assertThat(logLines).anyMatch(l -> l.startsWith("INFO applied config revision r-58x2"));
    }

    @Test
    void printerWithoutCutterGetsItsCopiesFedOutToBeTornOff() throws Exception {
        AgentApplication agent = startAgent();
        push(printerConfig("r-nocut", 80, 2, false, 30));
        await().atMost(WAIT).until(() -> revision(agent).equals(Optional.of("r-nocut")));

        sendTicket("T-tear");

        await().atMost(WAIT).until(() -> printer.jobs().size() == 2);
        assertThat(printer.jobs()).noneMatch(PrintedJob::cut);
        assertThat(printer.jobs().get(1).text()).contains("T-tear").contains("copy 2/2");
        assertThat(printer.protocolErrors()).isEmpty();
    }

    @Test
    void pushedHeartbeatIntervalReschedulesHeartbeatsThatReportTheRevision() throws Exception {
        AgentApplication agent = startAgent();
        await().atMost(WAIT).until(() -> !heartbeats().isEmpty());
        assertThat(heartbeats().get(0).get("configRevision").asText()).isEmpty();

        push(printerConfig("r-fast", 80, 1, 1));

        // at the file's 30 s there would be no second heartbeat within this wait
        await().atMost(Duration.ofSeconds(8)).until(() -> heartbeatsWithRevision("r-fast") >= 4);
        assertThat(agent.heartbeatInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void unusableConfigIsRefusedAndLoggedAndThePreviousConfigIsKept() throws Exception {
        AgentApplication agent = startAgent();
        push(printerConfig("r-good", 58, 1, 30));
        await().atMost(WAIT).until(() -> revision(agent).equals(Optional.of("r-good")));
        String good =
                new String(
                        DeviceConfigCodec.encode(printerConfig("x", 58, 1, 30)),
                        StandardCharsets.UTF_8);

        push("{not json".getBytes(StandardCharsets.UTF_8));
        push(
                good.replace("\"schema\":1", "\"schema\":7")
                        .replace("\"x\"", "\"r-v7\"")
                        .getBytes(StandardCharsets.UTF_8));
        push(
                good.replace("\"paperWidthMm\":58", "\"paperWidthMm\":76")
                        .replace("\"x\"", "\"r-76\"")
                        .getBytes(StandardCharsets.UTF_8));
        push(new byte[DeviceConfigCodec.MAX_BYTES + 1]);
        push(new byte[0]);

        await().atMost(WAIT).until(() -> agent.counters().configsRefused() == 4);
        await().atMost(WAIT).until(() -> logLines.stream().anyMatch(l -> l.contains("withdrawn")));
        String where = "WARNING refused config on " + topic(DeviceChannel.CONFIG) + ": ";
        assertThat(logLines)
                .anyMatch(l -> l.startsWith(where + "not valid JSON"))
                .anyMatch(l -> l.startsWith(where + "schema 7 is not supported"))
                .anyMatch(
                        l ->
                                l.startsWith(
                                        where + "printer.paperWidthMm must be 58 or 80 but was 76"))
                .anyMatch(l -> l.startsWith(where + "4097 bytes, more than the 4096"))
                .allMatch(
                        l ->
                                !l.startsWith("WARNING refused")
                                        || l.contains("keeping config revision r-good"));
        assertThat(revision(agent)).contains("r-good");

        sendTicket("T-kept");
        await().atMost(WAIT).until(() -> printer.jobs().size() == 1);
        assertThat(widestLine(printer.jobs().get(0))).isEqualTo(PaperWidth.MM58.columns());
        assertThat(heartbeats().get(heartbeats().size() - 1).get("configRevision").asText())
                .isEqualTo("r-good");
    }

    @Test
    void retainedConfigReachesANewAgentAndAChangeMadeWhileAwayArrivesAtRestart() throws Exception {
        push(printerConfig("r-1", 58, 1, 30));
        AgentApplication first = startAgent();
        await().atMost(WAIT).until(() -> revision(first).equals(Optional.of("r-1")));
        assertThat(Files.exists(dir.resolve("device-config.json"))).isTrue();
        stopAgent(first);

        push(printerConfig("r-2", 80, 2, 30));
        AgentApplication second = newAgent(broker.uri(), driver);
        // before connecting it already runs with what it stored
        assertThat(revision(second)).contains("r-1");
        second.start();

        await().atMost(WAIT).until(() -> revision(second).equals(Optional.of("r-2")));
        assertThat(driver.width()).isEqualTo(PaperWidth.MM80);
        assertThat(second.counters().configsApplied()).isEqualTo(2);
    }

    @Test
    void agentRestartedWithoutBrokerRunsWithTheLastPushedConfig() throws Exception {
        AgentApplication first = startAgent();
        push(printerConfig("r-stored", 58, 3, 7));
        await().atMost(WAIT).until(() -> revision(first).equals(Optional.of("r-stored")));
        stopAgent(first);

        // a fresh driver (80 mm as the file says) and a broker address nobody listens on
        try (EscPosPrinterDriver fresh = newDriver()) {
            String nowhere = "tcp://127.0.0.1:" + FreePorts.loopback();
            AgentApplication offline = newAgent(nowhere, fresh);

            assertThat(revision(offline)).contains("r-stored");
            assertThat(offline.pushedConfig().orElseThrow().printer())
                    .isEqualTo(new DeviceConfig.Printer(58, 3, true));
            assertThat(fresh.width()).isEqualTo(PaperWidth.MM58);
            assertThat(offline.heartbeatInterval()).isEqualTo(Duration.ofSeconds(7));
        }
    }
}
