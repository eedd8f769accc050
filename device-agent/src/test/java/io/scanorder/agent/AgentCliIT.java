package io.scanorder.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanorder.agent.emulator.LedBoardEmulator;
import io.scanorder.agent.emulator.NetworkMode;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.testkit.FreePorts;
import io.scanorder.testkit.MqttBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The field-tech commands against the embedded broker and the printer emulator. */
class AgentCliIT {

    private static final String STORE = "022";

    @TempDir Path dir;
    private MqttBroker broker;
    private PrinterEmulator printer;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private String deviceId;

    @BeforeEach
    void start() {
        broker = MqttBroker.shared();
        deviceId = "cli-printer-" + System.nanoTime() % 100_000;
        broker.addDevice(STORE, deviceId, "pw-" + deviceId);
        printer = PrinterEmulator.start(0, 48);
    }

    @AfterEach
    void stop() {
        printer.close();
    }

    private Path config(String brokerUri, String password) throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "store.code=" + STORE,
                        "device.id=" + deviceId,
                        "device.type=printer",
                        "broker.uri=" + brokerUri,
                        "broker.password=" + password,
                        "printer.host=127.0.0.1",
                        "printer.port=" + printer.port(),
                        "journal.file=" + dir.resolve("journal/tickets.journal")),
                StandardCharsets.UTF_8);
        return file;
    }

    private int cli(String... args) {
        return new AgentCli(
                        Map.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void doctorPassesEveryCheckOnAHealthySetup() throws Exception {
        Path config = config(broker.uri(), "pw-" + deviceId);

        assertThat(cli("doctor", "--config", config.toString())).isEqualTo(AgentCli.OK);

        assertThat(out())
                .contains("PASS broker 127.0.0.1:" + broker.port() + " is reachable")
                .contains("PASS broker accepted the credentials")
                .contains("PASS printer 127.0.0.1:" + printer.port() + " answers")
                .contains("PASS paper loaded")
                .contains("all checks passed")
                .doesNotContain("FAIL");
    }

    @Test
    void doctorReportsAWrongPasswordAndAnEmptyPrinterWithWhatToDo() throws Exception {
        Path config = config(broker.uri(), "wrong");
        printer.paperOut(true);

        assertThat(cli("doctor", "--config", config.toString())).isEqualTo(AgentCli.FAILED);

        assertThat(out())
                .contains("PASS broker 127.0.0.1:" + broker.port() + " is reachable")
                .containsPattern("FAIL broker .* refused device '" + deviceId + "'.* -> check")
                .contains("FAIL printer is out of paper -> load a new paper roll")
                .contains("2 check(s) failed");
    }

    @Test
    void doctorReportsAnUnreachableBrokerAndPrinterAndSkipsWhatDependsOnThem() throws Exception {
        int closedPort = FreePorts.loopback();
        Path config = config("tcp://127.0.0.1:" + closedPort, "pw-" + deviceId);
        printer.network(NetworkMode.REFUSING);

        assertThat(cli("doctor", "--config", config.toString())).isEqualTo(AgentCli.FAILED);

        assertThat(out())
                .contains("FAIL broker 127.0.0.1:" + closedPort + " is not reachable")
                .contains("SKIP credentials not checked")
                .contains("FAIL printer 127.0.0.1:" + printer.port() + " does not answer")
                .contains("SKIP paper and cover not checked");
    }

    @Test
    void testPrintPutsATestTicketOnPaper() throws Exception {
        Path config = config(broker.uri(), "pw-" + deviceId);

        assertThat(cli("test-print", "--config", config.toString())).isEqualTo(AgentCli.OK);

        assertThat(out()).contains("PASS test ticket printed and confirmed");
        assertThat(printer.jobs()).hasSize(1);
        assertThat(printer.jobs().get(0).text()).contains("测试打印").contains(deviceId);
    }

    @Test
    void testPrintOnAnOpenCoverFailsWithTheReasonAndTheFix() throws Exception {
        Path config = config(broker.uri(), "pw-" + deviceId);
        printer.coverOpen(true);

        assertThat(cli("test-print", "--config", config.toString())).isEqualTo(AgentCli.FAILED);

        assertThat(out()).contains("FAIL COVER_OPEN").contains("-> close the printer cover");
        assertThat(printer.jobs()).isEmpty();
    }

    @Test
    void doctorChecksAnLedBoardWithPing() throws Exception {
        try (LedBoardEmulator board = LedBoardEmulator.start(0)) {
            Path file = dir.resolve("led.properties");
            Files.writeString(
                    file,
                    String.join(
                            "\n",
                            "store.code=" + STORE,
                            "device.id=" + deviceId,
                            "device.type=led-board",
                            "broker.uri=" + broker.uri(),
                            "broker.password=pw-" + deviceId,
                            "led.host=127.0.0.1",
                            "led.port=" + board.port(),
                            "journal.file=" + dir.resolve("journal/tickets.journal")),
                    StandardCharsets.UTF_8);
            assertThat(cli("doctor", "--config", file.toString())).isEqualTo(AgentCli.OK);
            assertThat(out()).contains("PASS LED board 127.0.0.1:" + board.port() + " answers");

            board.online(false);
            assertThat(cli("doctor", "--config", file.toString())).isEqualTo(AgentCli.FAILED);
            assertThat(out()).contains("FAIL LED board 127.0.0.1:" + board.port() + " unreachable");
        }
    }

    @Test
    void badUsageAndBadConfigurationExitWithTwoAndSayWhatIsWrong() throws Exception {
        assertThat(cli()).isEqualTo(AgentCli.USAGE);
        assertThat(err()).contains("usage: scanorder-agent");

        assertThat(cli("enroll")).isEqualTo(AgentCli.USAGE);
        assertThat(err()).contains("--code must be the 8-symbol enrollment code");

        assertThat(cli("doctor", "--config", dir.resolve("missing.properties").toString()))
                .isEqualTo(AgentCli.USAGE);
        assertThat(err()).contains("cannot read configuration file");

        Path bad = dir.resolve("bad.properties");
        Files.writeString(bad, "store.code=12\ndevice.type=printer\n");
        assertThat(cli("doctor", "--config", bad.toString())).isEqualTo(AgentCli.USAGE);
        assertThat(err())
                .contains("store.code: must be exactly 3 digits but was '12'")
                .contains("printer.host: is required");
    }
}
