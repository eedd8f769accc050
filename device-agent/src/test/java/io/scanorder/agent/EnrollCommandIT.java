package io.scanorder.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.broker.EmbeddedBroker;
import io.scanorder.broker.auth.InMemoryCredentialStore;
import io.scanorder.broker.auth.PasswordHash;
import io.scanorder.broker.enroll.Enrollments;
import io.scanorder.broker.topic.Principal;
import io.scanorder.testkit.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scanorder-agent enroll} against an embedded broker whose extension redeems enrollment
 * codes (its own broker: the JVM-wide test broker has enrollment off; runs in its own fork).
 */
class EnrollCommandIT {

    private static final String STORE = "031";
    private static final String CODE = "K7QX-M2PD";

    @TempDir static Path brokerDir;
    private static EmbeddedBroker broker;
    private static InMemoryCredentialStore credentials;
    private static int devices;

    @TempDir Path dir;
    private String deviceId;
    private String password;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeAll
    static void startBroker() {
        credentials = new InMemoryCredentialStore();
        broker =
                EmbeddedBroker.builder()
                        .dataFolder(brokerDir.resolve("broker"))
                        .credentials(credentials)
                        .enrollmentPath(brokerDir.resolve("enrollments"))
                        .persistence(EmbeddedBroker.Persistence.IN_MEMORY)
                        .build()
                        .start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    /** A device as the operator issues it: broker credential plus enrollment entry. */
    @BeforeEach
    void issueDevice() {
        deviceId = "enroll-printer-" + ++devices;
        password = "pw-" + deviceId + "-" + System.nanoTime();
        credentials.put(Principal.device(STORE, deviceId), password.toCharArray(), 1_000);
        Enrollments.writeEntry(
                brokerDir.resolve("enrollments"),
                deviceId,
                STORE,
                password,
                PasswordHash.create(CODE.toCharArray(), 1_000).encode(),
                Instant.now().plus(1, ChronoUnit.HOURS));
    }

    /** What a technician has before enrolling: everything but the store code and password. */
    private Path unenrolledConfig() throws Exception {
        Path file = dir.resolve("agent.properties");
        Files.writeString(
                file,
                String.join(
                        "\n",
                        "# printer by the hot station",
                        "device.id=" + deviceId,
                        "device.type=printer",
                        "broker.uri=" + broker.uri(),
                        "printer.host=127.0.0.1",
                        "journal.file=" + dir.resolve("journal/tickets.journal"),
                        ""),
                StandardCharsets.UTF_8);
        return file;
    }

    private int cli(String... args) {
        out.reset();
        err.reset();
        return new AgentCli(
                        Map.of(),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8))
                .execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void enrollStoresWorkingCredentialsReadableByOwnerOnly() throws Exception {
        Path config = unenrolledConfig();

        int exit = cli("enroll", "--config", config.toString(), "--code", "k7qx m2pd");

        assertThat(exit).as(out()).isEqualTo(AgentCli.OK);
        assertThat(out())
                .contains("enrolling device '" + deviceId + "'")
                .contains("PASS broker accepted the code: device '" + deviceId + "' of store 031")
                .contains("PASS credentials stored in");
        assertThat(Files.getPosixFilePermissions(config))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String content = Files.readString(config);
        assertThat(content)
                .startsWith("# printer by the hot station")
                .contains("broker.password=" + password)
                .contains("store.code=" + STORE);
        AgentConfig loaded = AgentConfig.load(config, Map.of());
        assertThatCode(() -> PahoTransport.checkCredentials(loaded)).doesNotThrowAnyException();
    }

    @Test
    void secondUseOfTheCodeIsRefused() throws Exception {
        Path config = unenrolledConfig();
        assertThat(cli("enroll", "--config", config.toString(), "--code", CODE))
                .as(out())
                .isEqualTo(AgentCli.OK);

        Path other = Files.createDirectories(dir.resolve("other")).resolve("agent.properties");
        int exit =
                cli(
                        "enroll",
                        "--config",
                        other.toString(),
                        "--code",
                        CODE,
                        "--device",
                        deviceId,
                        "--broker",
                        broker.uri());

        assertThat(exit).isEqualTo(AgentCli.FAILED);
        assertThat(out()).contains("FAIL this code was already used");
        assertThat(other).doesNotExist();
    }

    @Test
    void wrongCodeIsRefusedAndTheRightOneStillWorks() throws Exception {
        Path config = unenrolledConfig();

        assertThat(cli("enroll", "--config", config.toString(), "--code", "AAAA-BBBB"))
                .isEqualTo(AgentCli.FAILED);
        assertThat(out())
                .contains("FAIL the broker does not accept this code for device '" + deviceId);
        assertThat(Files.readString(config)).doesNotContain("broker.password");

        assertThat(cli("enroll", "--config", config.toString(), "--code", CODE))
                .as(out())
                .isEqualTo(AgentCli.OK);
    }

    @Test
    void unreachableBrokerIsReportedAndLeavesTheCodeUnused() throws Exception {
        Path config = unenrolledConfig();
        String nowhere = "tcp://127.0.0.1:" + FreePorts.loopback();

        assertThat(
                        cli(
                                "enroll",
                                "--config",
                                config.toString(),
                                "--code",
                                CODE,
                                "--broker",
                                nowhere))
                .isEqualTo(AgentCli.FAILED);
        assertThat(out()).contains("FAIL broker 127.0.0.1:").contains("is not reachable");

        assertThat(cli("enroll", "--config", config.toString(), "--code", CODE))
                .as(out())
                .isEqualTo(AgentCli.OK);
    }

    @Test
    void malformedCodeIsAUsageError() throws Exception {
        Path config = unenrolledConfig();

        assertThat(cli("enroll", "--config", config.toString(), "--code", "K7QX-M2P"))
                .isEqualTo(AgentCli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("--code must be the 8-symbol enrollment code like K7QX-M2PD");
    }
}
