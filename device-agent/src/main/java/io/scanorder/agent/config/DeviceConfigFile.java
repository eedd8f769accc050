package io.scanorder.agent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Keeps the last applied pushed config on disk (the document exactly as received), so an agent that
 * restarts while the broker is unreachable still runs with the settings it was last given. Written
 * to a temporary file and moved into place, so a crash leaves the old document or the new one,
 * never half of one.
 */
public final class DeviceConfigFile {

    /** File name used next to the ticket journal. */
    public static final String FILE_NAME = "device-config.json";

    private final Path file;

    public DeviceConfigFile(Path file) {
        this.file = file.toAbsolutePath();
    }

    /** The file beside {@code journalFile}, in the directory that must survive restarts anyway. */
    public static DeviceConfigFile besideJournal(Path journalFile) {
        return new DeviceConfigFile(journalFile.toAbsolutePath().resolveSibling(FILE_NAME));
    }

    public Path path() {
        return file;
    }

    /** The stored document, or empty if none was ever stored. */
    public Optional<byte[]> read() {
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read pushed config " + file, e);
        }
    }

    /** Replaces the stored document. */
    public void write(byte[] document) {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.write(temp, document);
            try {
                Files.move(
                        temp,
                        file,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pushed config " + file, e);
        }
    }
}
