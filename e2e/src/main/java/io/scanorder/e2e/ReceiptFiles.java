package io.scanorder.e2e;

import io.scanorder.agent.emulator.PrintedJob;
import io.scanorder.agent.emulator.PrinterEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes every job a printer emulator prints to a text file, {@code <device>-<n>.txt}, so people
 * can read the local platform's kitchen tickets as they came out of the printer.
 */
final class ReceiptFiles {
    private ReceiptFiles() {}

    /** Saves each job {@code printer} prints from now on under {@code dir}. */
    static void keep(PrinterEmulator printer, String deviceId, Path dir) {
        try {
            Files.createDirectories(dir);
            // Receipts of an earlier run would be mistaken for this run's.
            try (var old = Files.newDirectoryStream(dir, deviceId + "-*.txt")) {
                for (Path file : old) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the receipts folder " + dir, e);
        }
        AtomicInteger count = new AtomicInteger();
        printer.onJob(
                job -> {
                    Path file =
                            dir.resolve(
                                    String.format(
                                            "%s-%03d.txt", deviceId, count.incrementAndGet()));
                    try {
                        Files.writeString(file, text(job), StandardCharsets.UTF_8);
                    } catch (IOException e) {
                        // A receipt file is for people; the job itself was printed either way.
                        System.err.println("cannot write receipt " + file + ": " + e);
                    }
                });
    }

    private static String text(PrintedJob job) {
        return job.text() + "\n";
    }
}
