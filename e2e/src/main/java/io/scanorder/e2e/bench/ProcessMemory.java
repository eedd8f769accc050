package io.scanorder.e2e.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Memory of this JVM and of child JVMs: heap used after a full GC, and resident set size. */
final class ProcessMemory {
    private static final double MIB = 1024.0 * 1024.0;

    private ProcessMemory() {}

    /** VmRSS of a process from /proc/{pid}/status, in MiB. */
    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                String kib = line.substring("VmRSS:".length()).replace("kB", "").trim();
                return Long.parseLong(kib) * 1024 / MIB;
            }
        }
        throw new IOException("/proc/" + pid + "/status has no VmRSS line");
    }

    /** This JVM's heap in use after two full GCs, in MiB. */
    static double ownHeapAfterGcMiB() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / MIB;
    }

    /**
     * A Quarkus child's heap in use after a full GC (forced with {@code jcmd <pid> GC.run}), read
     * from its Prometheus endpoint (sum of {@code jvm_memory_used_bytes{area="heap"}}), in MiB.
     */
    static double serviceHeapAfterGcMiB(long pid, int httpPort)
            throws IOException, InterruptedException {
        Process jcmd =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                                Long.toString(pid),
                                "GC.run")
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        if (!jcmd.waitFor(30, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
            jcmd.destroyForcibly();
            throw new IOException("jcmd " + pid + " GC.run failed or timed out");
        }
        HttpResponse<String> metrics =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(
                                                        "http://127.0.0.1:"
                                                                + httpPort
                                                                + "/q/metrics"))
                                        .header("Accept", "text/plain")
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        return heapBytes(metrics.body()) / MIB;
    }

    /** Sum of the heap pools in a Prometheus text exposition. */
    static double heapBytes(String prometheusText) {
        double sum = 0;
        boolean found = false;
        for (String line : prometheusText.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                found = true;
            }
        }
        if (!found) {
            throw new IllegalArgumentException(
                    "no jvm_memory_used_bytes{area=\"heap\"} sample in the metrics");
        }
        return sum;
    }
}
