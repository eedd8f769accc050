package io.scanorder.agent.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.agent.printer.EscPosPrinterDriver;
import io.scanorder.agent.printer.EscPosPrinterDriver.Settings;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.printer.PrintResult;
import io.scanorder.agent.printer.PrinterDriver;
import io.scanorder.agent.printer.PrinterStatus;
import io.scanorder.agent.printer.TicketLayout;
import io.scanorder.agent.ticket.TicketJournal.State;
import io.scanorder.agent.ticket.TicketProcessor.Outcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Journal + codec + real driver + printer emulator: each ticket on paper exactly once. */
class TicketProcessorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;
    private PrinterEmulator printer;
    private EscPosPrinterDriver driver;
    private final TicketCodec codec = new TicketCodec();
    private final List<String> acks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean brokerDown = new AtomicBoolean();

    @BeforeEach
    void start() {
        printer = PrinterEmulator.start(0, PaperWidth.MM58.columns());
        driver =
                new EscPosPrinterDriver(
                        Settings.of("127.0.0.1", printer.port()),
                        new TicketLayout(PaperWidth.MM58, ZoneId.of("Asia/Shanghai")));
    }

    @AfterEach
    void stop() {
        driver.close();
        printer.close();
    }

    private Path journalFile() {
        return dir.resolve("tickets.journal");
    }

    /** A fresh agent process: new journal object on the same file, new processor. */
    private TicketProcessor agent(TicketJournal journal) {
        return new TicketProcessor(
                journal,
                codec,
                driver,
                payload -> {
                    if (brokerDown.get()) {
                        throw new IOException("broker unreachable");
                    }
                    acks.add(new String(payload, StandardCharsets.UTF_8));
                });
    }

    private byte[] ticket(String id) {
        return codec.encode(
                new KitchenTicket(
                        id,
                        "0042",
                        "001",
                        "A12",
                        "hot",
                        Instant.parse("2025-01-01T04:34:00Z"),
                        List.of(new KitchenTicket.Line("宫保鸡丁", 2, "", "")),
                        1));
    }

    private static JsonNode json(String s) throws IOException {
        return JSON.readTree(s);
    }

    @Test
    void ticketIsPrintedOnceAndARedeliveryOnlyRepeatsTheAck() throws Exception {
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor agent = agent(journal);

            assertThat(agent.onPayload(ticket("T-1"))).isEqualTo(Outcome.PRINTED);
            assertThat(agent.onPayload(ticket("T-1"))).isEqualTo(Outcome.DUPLICATE);

            assertThat(printer.jobs()).hasSize(1);
            assertThat(acks).hasSize(2).allSatisfy(a -> assertThat(a).isEqualTo(acks.get(0)));
            assertThat(json(acks.get(0)).get("status").asText()).isEqualTo("PRINTED");
            assertThat(journal.state("T-1")).contains(State.ACKED);
        }
    }

    @Test
    void restartAfterPrintedButNotAckedResendsTheAckWithoutReprinting() throws Exception {
        brokerDown.set(true);
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            assertThat(agent(journal).onPayload(ticket("T-2")))
                    .isEqualTo(Outcome.PRINTED_ACK_PENDING);
        }
        assertThat(printer.jobs()).hasSize(1);
        assertThat(acks).isEmpty();

        // the agent process dies here; a new one starts with the broker back
        brokerDown.set(false);
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor restarted = agent(journal);
            restarted.recover();
            // the server also redelivers the unacked ticket (QoS 1 persistent session)
            assertThat(restarted.onPayload(ticket("T-2"))).isEqualTo(Outcome.DUPLICATE);
        }

        assertThat(printer.jobs()).hasSize(1);
        assertThat(acks).hasSize(2);
        assertThat(json(acks.get(0)).get("ticketId").asText()).isEqualTo("T-2");
    }

    @Test
    void ticketReceivedBeforeACrashIsPrintedAfterTheRestart() throws Exception {
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            // killed right after journaling, before printing
            assertThat(journal.received("T-3", ticket("T-3"))).isTrue();
        }

        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            agent(journal).recover();
            assertThat(journal.state("T-3")).contains(State.ACKED);
        }
        assertThat(printer.jobs()).hasSize(1);
    }

    @Test
    void tornJournalRecordLosesOnlyTheTicketTheServerWillRedeliver() throws Exception {
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            agent(journal).onPayload(ticket("T-4"));
            journal.received("T-5", ticket("T-5"));
        }
        byte[] content = Files.readAllBytes(journalFile());
        Files.write(journalFile(), java.util.Arrays.copyOf(content, content.length - 5));

        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor restarted = agent(journal);
            restarted.recover();
            // T-5 was never acked, so the broker redelivers it
            assertThat(restarted.onPayload(ticket("T-5"))).isEqualTo(Outcome.PRINTED);
            assertThat(restarted.onPayload(ticket("T-4"))).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(printer.jobs()).hasSize(2);
    }

    @Test
    void paperOutSendsAFailedAckAndTheTicketIsNeverPrintedLaterHere() throws Exception {
        printer.paperOut(true);
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor agent = agent(journal);
            assertThat(agent.onPayload(ticket("T-6"))).isEqualTo(Outcome.FAILED);

            JsonNode ack = json(acks.get(0));
            assertThat(ack.get("status").asText()).isEqualTo("FAILED");
            assertThat(ack.get("reason").asText()).isEqualTo("PAPER_OUT");

            printer.paperOut(false);
            agent.recover();
            // a redelivery gets the same answer: the backup printer owns this ticket now
            assertThat(agent.onPayload(ticket("T-6"))).isEqualTo(Outcome.DUPLICATE);
            assertThat(json(acks.get(1)).get("status").asText()).isEqualTo("FAILED");
        }
        assertThat(printer.jobs()).isEmpty();
    }

    /** Runs a ticket through an agent that dies once the whole job has left for the printer. */
    private void dieAfterTheJobLeft(String ticketId) {
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor dying =
                    new TicketProcessor(
                            journal,
                            codec,
                            new DiesAfterSending(driver),
                            payload -> acks.add(new String(payload, StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> dying.onPayload(ticket(ticketId)))
                    .isInstanceOf(SimulatedKill.class);
            assertThat(journal.state(ticketId)).contains(State.SENT);
        }
        assertThat(acks).isEmpty();
    }

    @Test
    void agentKilledAfterTheWholeJobLeftAcksItPrintedAfterRestartAndNeverReprints()
            throws Exception {
        dieAfterTheJobLeft("T-8");
        assertThat(printer.jobs()).hasSize(1);

        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor restarted = agent(journal);
            restarted.recover();
            assertThat(journal.state("T-8")).contains(State.ACKED);
            // the server's redelivery gets the same answer
            assertThat(restarted.onPayload(ticket("T-8"))).isEqualTo(Outcome.DUPLICATE);
        }

        assertThat(printer.jobs()).hasSize(1);
        assertThat(acks).hasSize(2);
        assertThat(json(acks.get(0)).get("ticketId").asText()).isEqualTo("T-8");
        assertThat(json(acks.get(0)).get("status").asText()).isEqualTo("PRINTED");
        assertThat(acks.get(1)).isEqualTo(acks.get(0));
    }

    @Test
    void agentKilledAfterTheJobLeftAnswersInterruptedWhenThePrinterNowReportsAProblem()
            throws Exception {
        dieAfterTheJobLeft("T-9");
        printer.paperOut(true);

        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            agent(journal).recover();
            assertThat(journal.state("T-9")).contains(State.ACKED);
        }

        JsonNode ack = json(acks.get(0));
        assertThat(ack.get("status").asText()).isEqualTo("FAILED");
        assertThat(ack.get("reason").asText()).isEqualTo("INTERRUPTED");
        assertThat(printer.jobs()).hasSize(1);
    }

    @Test
    void agentKilledBeforeTheFirstByteOfTheJobPrintsItOnceAfterRestart() throws Exception {
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor dying =
                    new TicketProcessor(
                            journal,
                            codec,
                            new DiesBeforeSending(driver),
                            payload -> acks.add(new String(payload, StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> dying.onPayload(ticket("T-10")))
                    .isInstanceOf(SimulatedKill.class);
            // connected and read the status, but no byte of the job left
            assertThat(journal.state("T-10")).contains(State.RECEIVED);
        }
        assertThat(printer.jobs()).isEmpty();

        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor restarted = agent(journal);
            restarted.recover();
            assertThat(journal.state("T-10")).contains(State.ACKED);
            assertThat(restarted.onPayload(ticket("T-10"))).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(printer.jobs()).hasSize(1);
        assertThat(acks).hasSize(2).allMatch(a -> a.contains("\"PRINTED\""));
    }

    @Test
    void agentKilledWhileTheJobWasGoingOutAnswersInterruptedAndNothingPrintsItAgain()
            throws Exception {
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor dying =
                    new TicketProcessor(
                            journal,
                            codec,
                            new DiesWhileSending(driver),
                            payload -> acks.add(new String(payload, StandardCharsets.UTF_8)));
            assertThatThrownBy(() -> dying.onPayload(ticket("T-11")))
                    .isInstanceOf(SimulatedKill.class);
            assertThat(journal.state("T-11")).contains(State.PRINTING);
        }

        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor restarted = agent(journal);
            restarted.recover();
            assertThat(restarted.onPayload(ticket("T-11"))).isEqualTo(Outcome.DUPLICATE);
        }

        JsonNode ack = json(acks.get(0));
        assertThat(ack.get("status").asText()).isEqualTo("FAILED");
        assertThat(ack.get("reason").asText()).isEqualTo("INTERRUPTED");
        assertThat(ack.get("detail").asText()).contains("may be on paper");
        assertThat(acks).hasSize(2);
        assertThat(acks.get(1)).isEqualTo(acks.get(0));
        assertThat(printer.jobs()).isEmpty();
    }

    @Test
    void jobSentButNeverConfirmedIsAnsweredInterruptedBecauseThePrinterMayStillPrintIt()
            throws Exception {
        // the printer takes the job but answers the status after it too late for the driver
        printer.slow(Duration.ofMillis(300));
        try (EscPosPrinterDriver impatient =
                        new EscPosPrinterDriver(
                                new Settings(
                                        "127.0.0.1",
                                        printer.port(),
                                        Duration.ofSeconds(3),
                                        Duration.ofSeconds(3),
                                        Duration.ofMillis(500)),
                                new TicketLayout(PaperWidth.MM58, ZoneId.of("Asia/Shanghai")));
                TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor agent =
                    new TicketProcessor(
                            journal,
                            codec,
                            impatient,
                            payload -> acks.add(new String(payload, StandardCharsets.UTF_8)));

            assertThat(agent.onPayload(ticket("T-12"))).isEqualTo(Outcome.FAILED);

            JsonNode ack = json(acks.get(0));
            assertThat(ack.get("reason").asText()).isEqualTo("INTERRUPTED");
            assertThat(ack.get("detail").asText()).contains("PRINTER_UNREACHABLE");
            // and indeed the printer finishes the job: a backup printing it would be a second copy
            await().atMost(Duration.ofSeconds(30)).until(() -> printer.jobs().size() == 1);
            assertThat(agent.onPayload(ticket("T-12"))).isEqualTo(Outcome.DUPLICATE);
        }
        assertThat(printer.jobs()).hasSize(1);
    }

    @Test
    void paperOutFoundBeforeTheJobLeavesIsAnsweredPaperOutSoTheBackupMayPrintIt() throws Exception {
        printer.paperOut(true);
        List<String> steps = new CopyOnWriteArrayList<>();
        PrintResult result =
                driver.print(
                        codec.decode(ticket("T-13")),
                        new PrinterDriver.JobProgress() {
                            @Override
                            public void sending() {
                                steps.add("sending");
                            }

                            @Override
                            public void sent() {
                                steps.add("sent");
                            }
                        });
        assertThat(result.reason()).isEqualTo(io.scanorder.agent.printer.FailureReason.PAPER_OUT);
        assertThat(steps).isEmpty();
        printer.paperOut(false);

        result =
                driver.print(
                        codec.decode(ticket("T-13")),
                        new PrinterDriver.JobProgress() {
                            @Override
                            public void sending() {
                                // nothing of this job may be at the printer yet
                                steps.add("sending with " + printer.jobs().size() + " job(s)");
                            }

                            @Override
                            public void sent() {
                                steps.add("sent");
                            }
                        });
        assertThat(result.confirmed()).isTrue();
        assertThat(steps).containsExactly("sending with 0 job(s)", "sent");
    }

    /** Reads the printer's status as a job would, then dies before writing the job. */
    private record DiesBeforeSending(PrinterDriver delegate) implements PrinterDriver {
        @Override
        public PrintResult print(KitchenTicket ticket) {
            throw new AssertionError("the processor must let the driver report progress");
        }

        @Override
        public PrintResult print(KitchenTicket ticket, JobProgress progress) {
            delegate.status();
            throw new SimulatedKill();
        }

        @Override
        public PrinterStatus status() {
            return delegate.status();
        }
    }

    /** Dies right after saying the job starts to leave, as kill -9 in the middle of a write. */
    private record DiesWhileSending(PrinterDriver delegate) implements PrinterDriver {
        @Override
        public PrintResult print(KitchenTicket ticket) {
            throw new AssertionError("the processor must let the driver report progress");
        }

        @Override
        public PrintResult print(KitchenTicket ticket, JobProgress progress) {
            progress.sending();
            throw new SimulatedKill();
        }

        @Override
        public PrinterStatus status() {
            return delegate.status();
        }
    }

    /** Hands the job to the real driver, then dies as kill -9 would before hearing back. */
    private record DiesAfterSending(PrinterDriver delegate) implements PrinterDriver {
        @Override
        public PrintResult print(KitchenTicket ticket) {
            throw new AssertionError("the processor must say when the job has left");
        }

        @Override
        public PrintResult print(KitchenTicket ticket, JobProgress progress) {
            delegate.print(ticket, progress);
            throw new SimulatedKill();
        }

        @Override
        public PrinterStatus status() {
            return delegate.status();
        }
    }

    /** Stands for kill -9: nothing after it in the ticket path runs. */
    private static final class SimulatedKill extends RuntimeException {
        SimulatedKill() {
            super("simulated kill -9", null, false, false);
        }
    }

    @Test
    void garbagePayloadIsDroppedAndCountedWithoutPrinting() {
        try (TicketJournal journal = TicketJournal.open(journalFile())) {
            TicketProcessor agent = agent(journal);
            assertThat(agent.onPayload("{not json".getBytes(StandardCharsets.UTF_8)))
                    .isEqualTo(Outcome.REJECTED);
            assertThat(agent.onPayload(new byte[TicketCodec.MAX_BYTES + 1]))
                    .isEqualTo(Outcome.REJECTED);
            assertThat(journal.pending()).isEmpty();
        }
        assertThat(codec.rejectedCount()).isEqualTo(2);
        assertThat(printer.jobs()).isEmpty();
        assertThat(acks).isEmpty();
    }
}
