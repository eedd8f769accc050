package io.scanorder.agent.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.agent.printer.EscPosPrinterDriver;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.printer.PrintResult;
import io.scanorder.agent.printer.PrinterDriver;
import io.scanorder.agent.printer.PrinterStatus;
import io.scanorder.agent.printer.TicketLayout;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.TicketCodec;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.testkit.MqttBroker;
import io.scanorder.testkit.MqttServiceClient;
import io.scanorder.testkit.MqttServiceClient.Received;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole printer agent (real Paho transport, journal, ESC/POS driver) against the embedded
 * HiveMQ broker with the ScanOrder extension and the printer emulator, driven by a service client
 * the way the order service drives it.
 */
class AgentApplicationIT {

    private static final String STORE = "021";
    private static final AtomicInteger DEVICES = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private static final String SERVICE_USER = "fleet-it-service";
    private static final String SERVICE_PASSWORD = "fleet-it-pw";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private MqttBroker broker;
    private PrinterEmulator printer;
    private EscPosPrinterDriver driver;
    private MqttServiceClient service;
    private String deviceId;
    private final TicketCodec codec = new TicketCodec();
    private final List<AutoCloseable> running = new ArrayList<>();

    @BeforeEach
    void start(TestInfo test) throws Exception {
        broker = MqttBroker.shared();
        deviceId = "fleet-printer-" + DEVICES.incrementAndGet() + "-" + System.nanoTime() % 10_000;
        broker.addDevice(STORE, deviceId, "pw-" + deviceId);
        printer = PrinterEmulator.start(0, PaperWidth.MM80.columns());
        driver =
                new EscPosPrinterDriver(
                        EscPosPrinterDriver.Settings.of("127.0.0.1", printer.port()),
                        new TicketLayout(PaperWidth.MM80, ZoneId.of("Asia/Shanghai")));
        service =
                new MqttServiceClient(broker, SERVICE_USER, SERVICE_PASSWORD)
                        .subscribe(
                                topic(DeviceChannel.ACKS),
                                topic(DeviceChannel.ALARMS),
                                topic(DeviceChannel.HEARTBEAT));
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close();
        }
        service.close();
        driver.close();
        printer.close();
    }

    private String topic(DeviceChannel channel) {
        return channel.topic(STORE, deviceId);
    }

    private AgentConfig config() {
        Properties p = new Properties();
        p.setProperty("store.code", STORE);
        p.setProperty("device.id", deviceId);
        p.setProperty("device.type", "printer");
        p.setProperty("broker.uri", broker.uri());
        p.setProperty("broker.password", "pw-" + deviceId);
        p.setProperty("heartbeat.interval.seconds", "1");
        p.setProperty("printer.host", "127.0.0.1");
        p.setProperty("printer.port", String.valueOf(printer.port()));
        p.setProperty("printer.poll.seconds", "1");
        p.setProperty("journal.file", dir.resolve("tickets.journal").toString());
        return AgentConfig.from(p, Map.of());
    }

    /** Starts an agent process: fresh journal object on the same file, fresh transport. */
    private AgentApplication startAgent(PrinterDriver printerDriver) throws Exception {
        AgentConfig config = config();
        TicketJournal journal = TicketJournal.open(config.journalFile());
        AgentApplication app =
                new AgentApplication(
                        new AgentApplication.Settings(
                                STORE,
                                deviceId,
                                config.heartbeatInterval(),
                                config.printerPoll(),
                                "it"),
                        new PahoTransport(config),
                        printerDriver,
                        journal,
                        Clock.systemUTC());
        running.add(journal);
        running.add(app);
        app.start();
        return app;
    }

    /** Stops an agent process and its journal, as if the process ended. */
    private void stopAgent(AgentApplication app) throws Exception {
        int i = running.indexOf(app);
        app.close();
        running.get(i - 1).close();
        running.remove(i);
        running.remove(i - 1);
    }

    private byte[] ticket(String id) {
        return codec.encode(
                new KitchenTicket(
                        id,
                        "0042",
                        STORE,
                        "A12",
                        "hot",
                        Instant.parse("2025-01-01T04:34:00Z"),
                        List.of(new KitchenTicket.Line("宫保鸡丁", 2, "大份", "不要辣")),
                        1));
    }

    private void sendTicket(String id) throws Exception {
        service.publish(topic(DeviceChannel.TICKETS), ticket(id));
    }

    private List<JsonNode> acks(String ticketId) {
        return service.on(topic(DeviceChannel.ACKS)).stream()
                .map(AgentApplicationIT::json)
                .filter(j -> j.get("ticketId").asText().equals(ticketId))
                .toList();
    }

    private List<String> alarms() {
        return service.on(topic(DeviceChannel.ALARMS)).stream()
                .map(AgentApplicationIT::json)
                .map(j -> j.get("alarm").asText() + " " + j.get("state").asText())
                .toList();
    }

    private static JsonNode json(Received message) {
        try {
            return JSON.readTree(message.text());
        } catch (IOException e) {
            throw new AssertionError("not JSON on " + message.topic() + ": " + message.text(), e);
        }
    }

    private JsonNode lastHeartbeat() {
        List<Received> beats = service.on(topic(DeviceChannel.HEARTBEAT));
        return beats.isEmpty() ? null : json(beats.get(beats.size() - 1));
    }

    @Test
    void publishedTicketIsPrintedExactlyOnceAndAcked() throws Exception {
        AgentApplication agent = startAgent(driver);

        sendTicket("T-100");

        await().atMost(WAIT).until(() -> acks("T-100").size() == 1);
        assertThat(acks("T-100").get(0).get("status").asText()).isEqualTo("PRINTED");
        assertThat(printer.jobs()).hasSize(1);
        assertThat(printer.jobs().get(0).text()).contains("宫保鸡丁").contains("A12");
        assertThat(agent.counters().printed()).isEqualTo(1);
        // the heartbeat reports the printer as the poll saw it, and nothing left in the queue
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            JsonNode beat = lastHeartbeat();
                            assertThat(beat).isNotNull();
                            assertThat(beat.get("paper").asText()).isEqualTo("OK");
                            assertThat(beat.get("cover").asText()).isEqualTo("CLOSED");
                            assertThat(beat.get("printer").asText()).isEqualTo("ONLINE");
                            assertThat(beat.get("queueDepth").asInt()).isZero();
                        });
    }

    @Test
    void redeliveredTicketIsNotReprintedButItsAckIsSentAgain() throws Exception {
        AgentApplication agent = startAgent(driver);
        sendTicket("T-200");
        await().atMost(WAIT).until(() -> acks("T-200").size() == 1);

        sendTicket("T-200");

        await().atMost(WAIT).until(() -> acks("T-200").size() == 2);
        assertThat(acks("T-200"))
                .allSatisfy(a -> assertThat(a.get("status").asText()).isEqualTo("PRINTED"));
        assertThat(printer.jobs()).hasSize(1);
        assertThat(agent.counters().duplicates()).isEqualTo(1);
    }

    @Test
    void agentKilledAfterThePrinterGotTheJobDoesNotReprintAfterRestartAndAcksItPrinted()
            throws Exception {
        // the process dies once the job is on paper but before PRINTED reaches the journal; the
        // application's own printer wrapper must pass the driver's progress on to the journal
        DyingAfterPrint dying = new DyingAfterPrint(driver, true);
        AgentApplication first = startAgent(dying);
        sendTicket("T-300");
        await().atMost(WAIT).until(() -> dying.called && printer.jobs().size() == 1);
        Thread.sleep(300); // give a (wrong) ack time to show up
        assertThat(acks("T-300")).isEmpty();
        stopAgent(first);

        startAgent(driver);

        await().atMost(WAIT).until(() -> acks("T-300").size() == 1);
        JsonNode ack = acks("T-300").get(0);
        assertThat(ack.get("status").asText()).isEqualTo("PRINTED");
        // a redelivery from the server gets the same answer and still no second copy
        sendTicket("T-300");
        await().atMost(WAIT).until(() -> acks("T-300").size() == 2);
        assertThat(acks("T-300").get(1)).isEqualTo(ack);
        assertThat(printer.jobs()).hasSize(1);
    }

    @Test
    void agentKilledBeforeTheJobLeftPrintsItOnceAfterRestart() throws Exception {
        // dies after journaling the ticket, before the driver wrote any of the job
        DyingAfterPrint dying = new DyingAfterPrint(driver, false);
        AgentApplication first = startAgent(dying);
        sendTicket("T-310");
        await().atMost(WAIT).until(() -> dying.called);
        Thread.sleep(300); // give a (wrong) ack time to show up
        assertThat(acks("T-310")).isEmpty();
        assertThat(printer.jobs()).isEmpty();
        stopAgent(first);

        startAgent(driver);

        await().atMost(WAIT).until(() -> acks("T-310").size() == 1);
        assertThat(acks("T-310").get(0).get("status").asText()).isEqualTo("PRINTED");
        assertThat(printer.jobs()).hasSize(1);
    }

    @Test
    void paperOutFailsTheTicketWithPaperOutRaisesTheAlarmAndReloadingClearsIt() throws Exception {
        AgentApplication agent = startAgent(driver);
        printer.paperOut(true);

        sendTicket("T-400");

        await().atMost(WAIT).until(() -> acks("T-400").size() == 1);
        JsonNode ack = acks("T-400").get(0);
        assertThat(ack.get("status").asText()).isEqualTo("FAILED");
        assertThat(ack.get("reason").asText()).isEqualTo("PAPER_OUT");
        await().atMost(WAIT).until(() -> alarms().contains("PAPER_OUT RAISED"));
        await().atMost(WAIT)
                .untilAsserted(
                        () -> {
                            assertThat(lastHeartbeat().get("paper").asText()).isEqualTo("OUT");
                            assertThat(lastHeartbeat().get("printer").asText())
                                    .isEqualTo("OFFLINE");
                        });
        assertThat(agent.activeAlarms()).containsExactly(Alarm.PAPER_OUT);

        printer.paperOut(false);

        await().atMost(WAIT).until(() -> alarms().contains("PAPER_OUT CLEARED"));
        assertThat(agent.activeAlarms()).isEmpty();
        // raised once and cleared once, however many polls saw each state
        assertThat(alarms()).containsExactly("PAPER_OUT RAISED", "PAPER_OUT CLEARED");
        assertThat(printer.jobs()).isEmpty();
    }

    @Test
    void unreachablePrinterRaisesItsAlarmAndClearsItWhenBack() throws Exception {
        startAgent(driver);
        printer.network(io.scanorder.agent.emulator.NetworkMode.REFUSING);
        await().atMost(WAIT).until(() -> alarms().contains("PRINTER_UNREACHABLE RAISED"));
        printer.network(io.scanorder.agent.emulator.NetworkMode.ONLINE);
        await().atMost(WAIT).until(() -> alarms().contains("PRINTER_UNREACHABLE CLEARED"));
    }

    @Test
    void garbageAndOversizedPayloadsAreDroppedAndCountedAndTheAgentKeepsPrinting()
            throws Exception {
        AgentApplication agent = startAgent(driver);

        service.publish(topic(DeviceChannel.TICKETS), "{not json".getBytes(StandardCharsets.UTF_8));
        service.publish(topic(DeviceChannel.TICKETS), new byte[] {(byte) 0xff, 0, 1, 2});
        service.publish(
                topic(DeviceChannel.TICKETS),
                "{\"ticketId\":\"T-x\",\"surprise\":1}".getBytes(StandardCharsets.UTF_8));
        service.publish(topic(DeviceChannel.TICKETS), new byte[TicketCodec.MAX_BYTES + 100]);

        await().atMost(WAIT).until(() -> agent.counters().dropped() == 4);
        assertThat(agent.counters().droppedOversized()).isEqualTo(1);
        assertThat(agent.counters().droppedInvalid()).isEqualTo(3);

        sendTicket("T-500");
        await().atMost(WAIT).until(() -> acks("T-500").size() == 1);
        assertThat(acks("T-500").get(0).get("status").asText()).isEqualTo("PRINTED");
        assertThat(service.on(topic(DeviceChannel.ACKS))).hasSize(1);
        assertThat(printer.jobs()).hasSize(1);
    }

    /**
     * Simulates the agent process dying during a job: the real driver sends the job (or not), then
     * the worker thread ends with an Error before the journal hears back.
     */
    private static final class DyingAfterPrint implements PrinterDriver {
        private final PrinterDriver delegate;
        private final boolean jobReachesPrinter;
        volatile boolean called;

        DyingAfterPrint(PrinterDriver delegate, boolean jobReachesPrinter) {
            this.delegate = delegate;
            this.jobReachesPrinter = jobReachesPrinter;
        }

        @Override
        public PrintResult print(KitchenTicket ticket) {
            throw new AssertionError("the agent must let the driver report the job's progress");
        }

        @Override
        public PrintResult print(KitchenTicket ticket, JobProgress progress) {
            called = true;
            if (jobReachesPrinter) {
                delegate.print(ticket, progress);
            }
            throw new SimulatedKill();
        }

        @Override
        public PrinterStatus status() {
            return delegate.status();
        }
    }

    /**
     * Stands for kill -9: nothing after it in the ticket path runs (the processor does not catch
     * it; the worker only logs it). Not an Error, which Awaitility would report as a test failure.
     */
    private static final class SimulatedKill extends RuntimeException {
        SimulatedKill() {
            super("simulated kill -9 mid-print", null, false, false);
        }
    }
}
