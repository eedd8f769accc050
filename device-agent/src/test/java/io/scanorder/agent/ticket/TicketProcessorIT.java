package io.scanorder.agent.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** Hands the job to the real driver, then dies as kill -9 would before hearing back. */
    private record DiesAfterSending(PrinterDriver delegate) implements PrinterDriver {
        @Override
        public PrintResult print(KitchenTicket ticket) {
            throw new AssertionError("the processor must say when the job has left");
        }

        @Override
        public PrintResult print(KitchenTicket ticket, Runnable jobSent) {
            delegate.print(ticket, jobSent);
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
            super("simulated kill -9 after the job left", null, false, false);
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
