package io.scanorder.agent.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.agent.ticket.TicketJournal.Entry;
import io.scanorder.agent.ticket.TicketJournal.State;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TicketJournalTest {

    @TempDir Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void statesSurviveReopening() {
        Path file = dir.resolve("tickets.journal");
        try (TicketJournal journal = TicketJournal.open(file)) {
            assertThat(journal.received("T-1", bytes("one"))).isTrue();
            assertThat(journal.received("T-2", bytes("two"))).isTrue();
            assertThat(journal.received("T-1", bytes("one again"))).isFalse();
            journal.printed("T-1");
            journal.acked("T-1", bytes("ack-1"));
            journal.printed("T-2");
        }

        try (TicketJournal journal = TicketJournal.open(file)) {
            assertThat(journal.recoveredTruncatedBytes()).isZero();
            assertThat(journal.state("T-1")).contains(State.ACKED);
            assertThat(journal.entry("T-1").orElseThrow().payload()).isEqualTo(bytes("ack-1"));
            assertThat(journal.pending())
                    .extracting(Entry::ticketId, Entry::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("T-2", State.PRINTED));
            assertThat(journal.pending().get(0).payload()).isEqualTo(bytes("two"));
        }
    }

    @Test
    void printingAndFailedStatesSurviveReopeningAndCompaction() {
        Path file = dir.resolve("tickets.journal");
        try (TicketJournal journal = TicketJournal.open(file)) {
            journal.received("T-1", bytes("one"));
            journal.printing("T-1");
            journal.received("T-2", bytes("two"));
            journal.printing("T-2");
            journal.failed("T-2", bytes("failed-2"));
            journal.received("T-3", bytes("three"));
            journal.printing("T-3");
            journal.printed("T-3");
            assertThat(journal.pendingCount()).isEqualTo(3);
            journal.compact();
        }

        try (TicketJournal journal = TicketJournal.open(file)) {
            assertThat(journal.state("T-1")).contains(State.PRINTING);
            assertThat(journal.entry("T-1").orElseThrow().payload()).isEqualTo(bytes("one"));
            assertThat(journal.state("T-2")).contains(State.FAILED);
            assertThat(journal.entry("T-2").orElseThrow().payload()).isEqualTo(bytes("failed-2"));
            assertThat(journal.state("T-3")).contains(State.PRINTED);
            journal.acked("T-2", bytes("failed-2"));
            assertThat(journal.pendingCount()).isEqualTo(2);
            assertThatThrownBy(() -> journal.printing("T-3"))
                    .hasMessage(
                            "ticket 'T-3' cannot become PRINTING: it is PRINTED, expected RECEIVED");
        }
    }

    @Test
    void sentStateSurvivesReopeningAndCompactionAndEndsPrintedOrFailed() {
        Path file = dir.resolve("tickets.journal");
        try (TicketJournal journal = TicketJournal.open(file)) {
            journal.received("T-1", bytes("one"));
            journal.printing("T-1");
            journal.sent("T-1");
            journal.received("T-2", bytes("two"));
            journal.printing("T-2");
            journal.sent("T-2");
            journal.compact();
        }

        try (TicketJournal journal = TicketJournal.open(file)) {
            assertThat(journal.state("T-1")).contains(State.SENT);
            assertThat(journal.entry("T-1").orElseThrow().payload()).isEqualTo(bytes("one"));
            assertThat(journal.pendingCount()).isEqualTo(2);
            journal.printed("T-1");
            journal.failed("T-2", bytes("failed-2"));
            assertThat(journal.state("T-1")).contains(State.PRINTED);
            assertThat(journal.state("T-2")).contains(State.FAILED);
            assertThatThrownBy(() -> journal.sent("T-1"))
                    .hasMessage(
                            "ticket 'T-1' cannot become SENT: it is PRINTED, expected PRINTING");
        }
    }

    @Test
    void recordTornByACrashIsDroppedAndCompleteOnesAreKept() throws Exception {
        Path file = dir.resolve("tickets.journal");
        long completeSize;
        try (TicketJournal journal = TicketJournal.open(file)) {
            journal.received("T-1", bytes("one"));
            journal.printed("T-1");
            completeSize = Files.size(file);
            journal.received("T-2", bytes("two"));
        }
        // the crash cut the last record short, in the middle of its payload
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(file) - 2);
        }

        try (TicketJournal journal = TicketJournal.open(file)) {
            assertThat(journal.recoveredTruncatedBytes()).isPositive();
            assertThat(Files.size(file)).isEqualTo(completeSize);
            assertThat(journal.state("T-1")).contains(State.PRINTED);
            assertThat(journal.state("T-2")).isEmpty();
            // the server redelivers T-2 (never acked); it is journaled after the good records
            assertThat(journal.received("T-2", bytes("two"))).isTrue();
        }
        try (TicketJournal journal = TicketJournal.open(file)) {
            assertThat(journal.recoveredTruncatedBytes()).isZero();
            assertThat(journal.state("T-2")).contains(State.RECEIVED);
        }
    }

    @Test
    void corruptedBytesAreDetectedByTheChecksum() throws Exception {
        Path file = dir.resolve("tickets.journal");
        try (TicketJournal journal = TicketJournal.open(file)) {
            journal.received("T-1", bytes("one"));
            journal.received("T-2", bytes("two"));
        }
        byte[] content = Files.readAllBytes(file);
        content[content.length - 1] ^= 0x55;
        Files.write(file, content);

        try (TicketJournal journal = TicketJournal.open(file)) {
            assertThat(journal.state("T-1")).contains(State.RECEIVED);
            assertThat(journal.state("T-2")).isEmpty();
            assertThat(journal.recoveredTruncatedBytes()).isPositive();
        }
    }

    @Test
    void illegalMovesAreRefused() {
        try (TicketJournal journal = TicketJournal.open(dir.resolve("j"))) {
            assertThatThrownBy(() -> journal.printed("T-9"))
                    .hasMessage(
                            "ticket 'T-9' cannot become PRINTED: it is unknown, expected RECEIVED");
            journal.received("T-1", bytes("one"));
            journal.printed("T-1");
            assertThatThrownBy(() -> journal.printed("T-1"))
                    .hasMessage(
                            "ticket 'T-1' cannot become PRINTED: it is PRINTED, expected RECEIVED");
        }
    }

    @Test
    void compactionKeepsPendingTicketsAndAckedIds() throws Exception {
        Path file = dir.resolve("tickets.journal");
        try (TicketJournal journal = TicketJournal.open(file)) {
            for (int i = 0; i < 50; i++) {
                journal.received("T-" + i, bytes("payload " + i + " ".repeat(100)));
                journal.printed("T-" + i);
                journal.acked("T-" + i, bytes("ack " + i));
            }
            journal.received("T-pending", bytes("still to print"));
            long before = Files.size(file);

            journal.compact();

            assertThat(Files.size(file)).isLessThan(before / 4);
            journal.printed("T-pending");
        }
        try (TicketJournal journal = TicketJournal.open(file)) {
            assertThat(journal.state("T-7")).contains(State.ACKED);
            assertThat(journal.entry("T-7").orElseThrow().payload()).isEqualTo(bytes("ack 7"));
            assertThat(journal.received("T-7", bytes("redelivered"))).isFalse();
            assertThat(journal.pending())
                    .singleElement()
                    .satisfies(e -> assertThat(e.payload()).isEqualTo(bytes("still to print")));
        }
    }
}
