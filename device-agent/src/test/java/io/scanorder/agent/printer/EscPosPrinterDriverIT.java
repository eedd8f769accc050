package io.scanorder.agent.printer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scanorder.agent.emulator.NetworkMode;
import io.scanorder.agent.emulator.PrintedJob;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.agent.emulator.RenderedLine;
import io.scanorder.agent.heartbeat.DeviceHealth.Cover;
import io.scanorder.agent.heartbeat.DeviceHealth.Paper;
import io.scanorder.agent.printer.EscPosPrinterDriver.Settings;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The real driver against the printer emulator (and against peers that misbehave). */
class EscPosPrinterDriverIT {

    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final Duration SHORT = Duration.ofMillis(500);
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    private PrinterEmulator printer(PaperWidth width) {
        PrinterEmulator printer = PrinterEmulator.start(0, width.columns());
        closeables.add(printer);
        return printer;
    }

    private EscPosPrinterDriver driver(int port, PaperWidth width, Duration printTimeout) {
        EscPosPrinterDriver driver =
                new EscPosPrinterDriver(
                        new Settings("127.0.0.1", port, SHORT, SHORT, printTimeout),
                        new TicketLayout(width, SHANGHAI));
        closeables.add(driver);
        return driver;
    }

    private EscPosPrinterDriver driver(PrinterEmulator printer, PaperWidth width) {
        return driver(printer.port(), width, Duration.ofSeconds(5));
    }

    @Test
    void ticketOn58mmPaperIsPrintedExactlyAndConfirmed() {
        PrinterEmulator printer = printer(PaperWidth.MM58);

        PrintResult result = driver(printer, PaperWidth.MM58).print(Tickets.hotStation(1));

        assertThat(result.confirmed()).as(result.detail()).isTrue();
        assertThat(printer.jobs()).hasSize(1);
        PrintedJob job = printer.jobs().get(0);
        assertThat(job.text())
                .isEqualTo(
                        String.join(
                                "\n",
                                "=".repeat(32),
                                "Table A12",
                                "#0042" + " ".repeat(24) + "HOT",
                                "Store 001" + " ".repeat(7) + "2025-01-01 12:34",
                                "-".repeat(32),
                                "宫保鸡丁" + " ".repeat(22) + "x2",
                                "  大份",
                                "  * 不要辣",
                                "Coke" + " ".repeat(26) + "x1",
                                "干煸四季豆加肉末超长的菜名测 x12",
                                "试",
                                "-".repeat(32),
                                "T-0042-hot"));
        assertThat(job.lines().get(1)).isEqualTo(new RenderedLine("Table A12", 18, true, 2, 2));
        // the printer itself measured these lines: quantities end exactly at the paper edge
        assertThat(List.of(2, 3, 5, 8, 9))
                .allSatisfy(i -> assertThat(job.lines().get(i).columns()).isEqualTo(32));
        assertThat(printer.protocolErrors()).isEmpty();
    }

    @Test
    void ticketOn80mmPaperUsesTheWiderLine() {
        PrinterEmulator printer = printer(PaperWidth.MM80);

        PrintResult result = driver(printer, PaperWidth.MM80).print(Tickets.hotStation(1));

        assertThat(result.confirmed()).isTrue();
        PrintedJob job = printer.jobs().get(0);
        assertThat(job.text())
                .isEqualTo(
                        String.join(
                                "\n",
                                "=".repeat(48),
                                "Table A12",
                                "#0042" + " ".repeat(40) + "HOT",
                                "Store 001" + " ".repeat(23) + "2025-01-01 12:34",
                                "-".repeat(48),
                                "宫保鸡丁" + " ".repeat(38) + "x2",
                                "  大份",
                                "  * 不要辣",
                                "Coke" + " ".repeat(42) + "x1",
                                "干煸四季豆加肉末超长的菜名测试" + " ".repeat(15) + "x12",
                                "-".repeat(48),
                                "T-0042-hot"));
        assertThat(List.of(2, 3, 5, 8, 9))
                .allSatisfy(i -> assertThat(job.lines().get(i).columns()).isEqualTo(48));
    }

    @Test
    void everyCopyIsCutSeparatelyAndNumbered() {
        PrinterEmulator printer = printer(PaperWidth.MM58);

        assertThat(driver(printer, PaperWidth.MM58).print(Tickets.hotStation(2)).confirmed())
                .isTrue();

        assertThat(printer.jobs())
                .extracting(j -> j.lines().get(j.lines().size() - 1).text())
                .containsExactly(
                        "T-0042-hot" + " ".repeat(14) + "copy 1/2",
                        "T-0042-hot" + " ".repeat(14) + "copy 2/2");
    }

    @Test
    void paperOutBeforePrintingFailsWithPaperOutAndPrintsNothing() {
        PrinterEmulator printer = printer(PaperWidth.MM58).paperOut(true);

        PrintResult result = driver(printer, PaperWidth.MM58).print(Tickets.hotStation(1));

        assertThat(result.confirmed()).isFalse();
        assertThat(result.reason()).isEqualTo(FailureReason.PAPER_OUT);
        assertThat(result.detail()).isEqualTo("not printed: paper out");
        assertThat(result.status().paper()).isEqualTo(Paper.OUT);
        assertThat(printer.jobs()).isEmpty();
    }

    @Test
    void coverOpenFailsWithCoverOpen() {
        PrinterEmulator printer = printer(PaperWidth.MM58).coverOpen(true);

        PrintResult result = driver(printer, PaperWidth.MM58).print(Tickets.hotStation(1));

        assertThat(result.reason()).isEqualTo(FailureReason.COVER_OPEN);
        assertThat(result.status().cover()).isEqualTo(Cover.OPEN);
    }

    @Test
    void paperRunningOutMidJobIsNotConfirmed() {
        PrinterEmulator printer = printer(PaperWidth.MM58).runOutOfPaperAfter(4);

        PrintResult result = driver(printer, PaperWidth.MM58).print(Tickets.hotStation(1));

        assertThat(result.confirmed()).isFalse();
        assertThat(result.reason()).isEqualTo(FailureReason.PAPER_OUT);
        assertThat(result.detail()).startsWith("sent but not confirmed");
        assertThat(printer.jobs()).isEmpty();
    }

    @Test
    void paperLowStillPrintsAndIsReported() {
        PrinterEmulator printer = printer(PaperWidth.MM58).paperLow(true);

        PrintResult result = driver(printer, PaperWidth.MM58).print(Tickets.hotStation(1));

        assertThat(result.confirmed()).isTrue();
        assertThat(result.status().paper()).isEqualTo(Paper.LOW);
        assertThat(driver(printer, PaperWidth.MM58).status())
                .isEqualTo(new PrinterStatus(true, true, Paper.LOW, Cover.CLOSED, ""));
    }

    @Test
    void printerOffTheNetworkIsUnreachableWithinTheTimeout() {
        PrinterEmulator printer = printer(PaperWidth.MM58);
        EscPosPrinterDriver driver = driver(printer.port(), PaperWidth.MM58, SHORT);

        for (NetworkMode mode : List.of(NetworkMode.REFUSING, NetworkMode.SILENT)) {
            printer.network(mode);
            long start = System.nanoTime();
            PrintResult result = driver.print(Tickets.hotStation(1));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.reason())
                    .as(mode.name())
                    .isEqualTo(FailureReason.PRINTER_UNREACHABLE);
            assertThat(result.detail()).contains("printer 127.0.0.1:" + printer.port());
            assertThat(took).isLessThan(Duration.ofSeconds(2));
            assertThat(driver.status().reachable()).isFalse();
        }
        printer.network(NetworkMode.ONLINE);
        assertThat(driver.print(Tickets.hotStation(1)).confirmed()).isTrue();
    }

    @Test
    void printerSlowerThanThePrintTimeoutIsNotConfirmed() {
        PrinterEmulator printer = printer(PaperWidth.MM58).slow(Duration.ofMillis(100));

        PrintResult result =
                driver(printer.port(), PaperWidth.MM58, SHORT).print(Tickets.hotStation(1));

        assertThat(result.reason()).isEqualTo(FailureReason.PRINTER_UNREACHABLE);
        // unconfirmed is not "not printed": the printer finishes what it received
        await().atMost(Duration.ofSeconds(5)).until(() -> printer.jobs().size() == 1);
        // given enough time the same slow printer confirms
        assertThat(driver(printer, PaperWidth.MM58).print(Tickets.hotStation(1)).confirmed())
                .isTrue();
        assertThat(printer.jobs()).hasSize(2);
    }

    @Test
    void garbageFromAMisbehavingPeerDoesNotHangTheDriver() throws Exception {
        Random random = new Random(42);
        int flood =
                peer(
                        out -> {
                            byte[] junk = new byte[4096];
                            while (true) {
                                random.nextBytes(junk);
                                junk[0] = (byte) 0xFF; // never a status byte
                                out.write(junk);
                            }
                        });
        int hangsUp = peer(out -> {});

        long start = System.nanoTime();
        PrintResult garbage = driver(flood, PaperWidth.MM58, SHORT).print(Tickets.hotStation(1));
        PrintResult closed = driver(hangsUp, PaperWidth.MM58, SHORT).print(Tickets.hotStation(1));

        assertThat(garbage.reason()).isEqualTo(FailureReason.PRINTER_ERROR);
        assertThat(garbage.detail()).contains("answered 0xFF to DLE EOT 1");
        assertThat(closed.reason()).isEqualTo(FailureReason.PRINTER_UNREACHABLE);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
    }

    /** A TCP peer that runs {@code behaviour} on each connection, then hangs up. */
    private int peer(IoConsumer behaviour) throws IOException {
        ServerSocket server = new ServerSocket(0);
        closeables.add(server);
        Thread thread =
                new Thread(
                        () -> {
                            while (!server.isClosed()) {
                                try (Socket s = server.accept()) {
                                    behaviour.accept(s.getOutputStream());
                                } catch (IOException e) {
                                    // the driver hung up on us: next
                                }
                            }
                        });
        thread.setDaemon(true);
        thread.start();
        return server.getLocalPort();
    }

    private interface IoConsumer {
        void accept(OutputStream out) throws IOException;
    }

    @Test
    void statusReportsPaperAndCover() {
        PrinterEmulator printer = printer(PaperWidth.MM58);
        EscPosPrinterDriver driver = driver(printer, PaperWidth.MM58);

        assertThat(driver.status())
                .isEqualTo(new PrinterStatus(true, true, Paper.OK, Cover.CLOSED, ""));
        printer.paperOut(true).coverOpen(true);
        assertThat(driver.status())
                .isEqualTo(
                        new PrinterStatus(
                                true, false, Paper.OUT, Cover.OPEN, "paper out, cover open"));
    }
}
