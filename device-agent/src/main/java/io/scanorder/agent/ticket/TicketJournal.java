package io.scanorder.agent.ticket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The agent's local memory of tickets, so that a restart (even after kill -9 or power loss) neither
 * loses a received ticket nor prints one twice: an append-only file of state changes RECEIVED (with
 * the payload) -&gt; PRINTING -&gt; SENT -&gt; PRINTED or FAILED (with the ack to send) -&gt;
 * ACKED, each forced to disk before the change is acted on. PRINTING is written just before the
 * first byte of the job goes to the printer, so a ticket still RECEIVED after a restart never
 * reached it (printed then), and one found PRINTING may be (partly) on paper and is never printed
 * again automatically.
 *
 * <p>Record layout: {@code int length, int crc32c, byte state, short idLength, id (UTF-8),
 * payload}; length and CRC cover everything after them. On open, records are replayed up to the
 * first incomplete or corrupt one (a write cut short by a crash) and the file is truncated there.
 *
 * <p>Acked tickets are remembered (id and ack, after {@link #compact()}) so a redelivered ticket is
 * recognised; the oldest are forgotten beyond {@link #ACKED_REMEMBERED}.
 */
public final class TicketJournal implements AutoCloseable {

    /** Where a ticket is in its life on this device. */
    public enum State {
        /** Stored, not yet printed. */
        RECEIVED,
        /** On paper (the printer confirmed); the server has not been told yet. */
        PRINTED,
        /** The server has the ack: nothing left to do. */
        ACKED,
        /**
         * The job is being written to the printer: some of it may be on paper whatever happens
         * next. (Journals written before this meaning wrote it before connecting; a restart treats
         * both alike: maybe on paper.)
         */
        PRINTING,
        /** Not printed (or unknown after an interruption); the FAILED ack is decided, not sent. */
        FAILED,
        /**
         * Every byte of the job is in the printer's connection, not confirmed yet: the printer
         * prints it even if the agent dies now. (Last, so older journals read the same.)
         */
        SENT
    }

    /**
     * One ticket: {@code payload} is the ticket while RECEIVED, PRINTING or PRINTED, and the ack
     * (to send, or sent) once FAILED or ACKED.
     */
    public record Entry(String ticketId, State state, byte[] payload) {}

    /** Acked ids kept across compaction for recognising redeliveries. */
    public static final int ACKED_REMEMBERED = 10_000;

    private static final int HEADER = 8;
    private static final int MAX_RECORD = 64 * 1024;

    private final Path file;
    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private FileChannel channel;
    private long recoveredTruncatedBytes;

    private TicketJournal(Path file) {
        this.file = file;
    }

    /** Opens (or creates) the journal and replays it, dropping a torn last record. */
    public static TicketJournal open(Path file) {
        TicketJournal journal = new TicketJournal(file);
        try {
            journal.channel =
                    FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.READ,
                            StandardOpenOption.WRITE);
            journal.replay();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open ticket journal " + file, e);
        }
        return journal;
    }

    /**
     * Records a newly received ticket, durably.
     *
     * @return false if this ticket id is already known (a redelivery): nothing is written
     */
    public synchronized boolean received(String ticketId, byte[] payload) {
        if (entries.containsKey(ticketId)) {
            return false;
        }
        append(State.RECEIVED, ticketId, payload);
        return true;
    }

    /**
     * Records that the first byte of the job is about to be written to the printer (not earlier:
     * until then a restart may still print the ticket).
     */
    public synchronized void printing(String ticketId) {
        move(ticketId, State.RECEIVED, State.PRINTING, new byte[0]);
    }

    /**
     * Records that the whole job left for the printer (after {@link #printing}): from now on it is
     * on its way to paper whatever becomes of this process.
     */
    public synchronized void sent(String ticketId) {
        move(ticketId, State.PRINTING, State.SENT, new byte[0]);
    }

    /** Records that the printer confirmed the ticket. */
    public synchronized void printed(String ticketId) {
        move(ticketId, atPrinterOrReceived(ticketId), State.PRINTED, new byte[0]);
    }

    /** Records that the ticket will not be printed here and {@code ack} is the answer to send. */
    public synchronized void failed(String ticketId, byte[] ack) {
        move(ticketId, atPrinterOrReceived(ticketId), State.FAILED, ack);
    }

    /** PRINTING or SENT when the ticket is in one of them, else RECEIVED (the legal sources). */
    private State atPrinterOrReceived(String ticketId) {
        Entry e = entries.get(ticketId);
        return e != null && (e.state() == State.PRINTING || e.state() == State.SENT)
                ? e.state()
                : State.RECEIVED;
    }

    /** How many tickets are not acked yet (the device's queue depth). */
    public synchronized int pendingCount() {
        int n = 0;
        for (Entry e : entries.values()) {
            if (e.state() != State.ACKED) {
                n++;
            }
        }
        return n;
    }

    /**
     * Records that the server has this device's final word on the ticket: "printed" (from {@code
     * PRINTED}) or "failed" (from {@code FAILED} or {@code RECEIVED}, so that the server's failover
     * owns it and this device never prints it later). {@code ack} is the payload sent, kept to
     * answer redeliveries.
     */
    public synchronized void acked(String ticketId, byte[] ack) {
        Entry e = entries.get(ticketId);
        State from = e == null ? State.PRINTED : e.state();
        if (from != State.RECEIVED && from != State.FAILED) {
            from = State.PRINTED;
        }
        move(ticketId, from, State.ACKED, ack);
    }

    public synchronized Optional<State> state(String ticketId) {
        return entry(ticketId).map(Entry::state);
    }

    /** The entry of a ticket: its payload while pending, the ack sent once ACKED. */
    public synchronized Optional<Entry> entry(String ticketId) {
        return Optional.ofNullable(entries.get(ticketId));
    }

    /** Tickets not yet acked, oldest first. */
    public synchronized List<Entry> pending() {
        return entries.values().stream().filter(e -> e.state() != State.ACKED).toList();
    }

    /** Bytes of a torn record dropped when the journal was opened (0 after a clean stop). */
    public long recoveredTruncatedBytes() {
        return recoveredTruncatedBytes;
    }

    /**
     * Rewrites the journal with only what is still needed: pending tickets with their payload and
     * the ids of the most recent {@value #ACKED_REMEMBERED} acked ones. Crash-safe: the new file
     * replaces the old one by an atomic rename.
     */
    public synchronized void compact() {
        List<Entry> acked =
                entries.values().stream().filter(e -> e.state() == State.ACKED).toList();
        for (int i = 0; i < acked.size() - ACKED_REMEMBERED; i++) {
            entries.remove(acked.get(i).ticketId());
        }
        Path tmp = file.resolveSibling(file.getFileName() + ".compact");
        try (FileChannel out =
                FileChannel.open(
                        tmp,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            for (Entry e : entries.values()) {
                if (e.state() == State.ACKED || e.state() == State.FAILED) {
                    write(out, e.state(), e.ticketId(), e.payload());
                } else {
                    write(out, State.RECEIVED, e.ticketId(), e.payload());
                    if (e.state() != State.RECEIVED) {
                        write(out, e.state(), e.ticketId(), new byte[0]);
                    }
                }
            }
            out.force(true);
            channel.close();
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            channel.position(channel.size());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact ticket journal " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close ticket journal " + file, e);
        }
    }

    private void move(String ticketId, State from, State to, byte[] payload) {
        Entry e = entries.get(ticketId);
        if (e == null || e.state() != from) {
            throw new IllegalStateException(
                    "ticket '"
                            + ticketId
                            + "' cannot become "
                            + to
                            + ": it is "
                            + (e == null ? "unknown" : e.state())
                            + ", expected "
                            + from);
        }
        append(to, ticketId, payload);
    }

    private void append(State state, String ticketId, byte[] payload) {
        try {
            write(channel, state, ticketId, payload);
            // the state change is acted on (printed, acked) only once it is on disk
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write ticket journal " + file, e);
        }
        apply(state, ticketId, payload);
    }

    private void apply(State state, String ticketId, byte[] payload) {
        Entry previous = entries.get(ticketId);
        byte[] kept =
                switch (state) {
                    // the ticket, then the ack decided on or sent
                    case RECEIVED, FAILED, ACKED -> payload;
                    case PRINTING, SENT, PRINTED ->
                            previous == null ? new byte[0] : previous.payload();
                };
        entries.put(ticketId, new Entry(ticketId, state, kept));
    }

    private static void write(FileChannel out, State state, String ticketId, byte[] payload)
            throws IOException {
        byte[] id = ticketId.getBytes(StandardCharsets.UTF_8);
        int length = 1 + 2 + id.length + payload.length;
        if (length > MAX_RECORD) {
            throw new IllegalArgumentException(
                    "journal record for '" + ticketId + "' is " + length + " bytes, too big");
        }
        ByteBuffer body = ByteBuffer.allocate(length);
        body.put((byte) state.ordinal()).putShort((short) id.length).put(id).put(payload).flip();
        CRC32C crc = new CRC32C();
        crc.update(body.duplicate());
        ByteBuffer record = ByteBuffer.allocate(HEADER + length);
        record.putInt(length).putInt((int) crc.getValue()).put(body).flip();
        while (record.hasRemaining()) {
            out.write(record);
        }
    }

    private void replay() throws IOException {
        long size = channel.size();
        long position = 0;
        ByteBuffer header = ByteBuffer.allocate(HEADER);
        while (position + HEADER <= size) {
            header.clear();
            channel.read(header, position);
            header.flip();
            int length = header.getInt();
            int crc = header.getInt();
            if (length < 3 || length > MAX_RECORD || position + HEADER + length > size) {
                break;
            }
            ByteBuffer body = ByteBuffer.allocate(length);
            channel.read(body, position + HEADER);
            body.flip();
            CRC32C check = new CRC32C();
            check.update(body.duplicate());
            if ((int) check.getValue() != crc) {
                break;
            }
            int stateIndex = body.get();
            int idLength = body.getShort() & 0xFFFF;
            if (stateIndex < 0
                    || stateIndex >= State.values().length
                    || idLength > body.remaining()) {
                break;
            }
            byte[] id = new byte[idLength];
            body.get(id);
            byte[] payload = new byte[body.remaining()];
            body.get(payload);
            apply(State.values()[stateIndex], new String(id, StandardCharsets.UTF_8), payload);
            position += HEADER + length;
        }
        recoveredTruncatedBytes = size - position;
        if (recoveredTruncatedBytes > 0) {
            // later appends must follow the last good record, not the torn one
            channel.truncate(position);
            channel.force(true);
        }
        channel.position(position);
    }
}
