package io.scanorder.broker.enroll;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers which enrollment codes were redeemed, in an append-only file on the broker's persistent
 * volume, so a code works once even across broker restarts. One line per redemption: {@code
 * <deviceId> <sha256 of the code's hash> <instant>}; a code re-issued by the operator has a new
 * hash and so is usable again.
 */
public final class EnrollmentLedger {

    private final Path file;
    private final Map<String, Instant> used = new HashMap<>();

    private EnrollmentLedger(Path file) {
        this.file = file;
    }

    /**
     * Opens (creating if needed) the ledger file.
     *
     * @throws IllegalArgumentException naming the file and line if it is corrupt
     */
    public static EnrollmentLedger open(Path file) {
        EnrollmentLedger ledger = new EnrollmentLedger(file);
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i).strip();
                    if (line.isEmpty()) {
                        continue;
                    }
                    String[] f = line.split(" ");
                    if (f.length != 3) {
                        throw new IllegalArgumentException(
                                "enrollment ledger "
                                        + file
                                        + " line "
                                        + (i + 1)
                                        + ": expected '<deviceId> <fingerprint> <instant>'");
                    }
                    ledger.used.put(f[0] + " " + f[1], Instant.parse(f[2]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open enrollment ledger " + file, e);
        }
        return ledger;
    }

    /** When the code with this hash was redeemed by {@code deviceId}, if it was. */
    public synchronized Optional<Instant> usedAt(String deviceId, String codeHash) {
        return Optional.ofNullable(used.get(key(deviceId, codeHash)));
    }

    /**
     * Records a redemption durably (written and forced to disk) before the password is handed out.
     *
     * @return false if it was already recorded (a concurrent attempt won)
     */
    public synchronized boolean markUsed(String deviceId, String codeHash, Instant at) {
        String key = key(deviceId, codeHash);
        if (used.containsKey(key)) {
            return false;
        }
        try {
            Files.write(
                    file,
                    (key + " " + at + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record enrollment in " + file, e);
        }
        used.put(key, at);
        return true;
    }

    public Path file() {
        return file;
    }

    private static String key(String deviceId, String codeHash) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(codeHash.getBytes(StandardCharsets.UTF_8));
            return deviceId + " " + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every Java runtime", e);
        }
    }
}
