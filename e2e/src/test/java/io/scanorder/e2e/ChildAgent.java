package io.scanorder.e2e;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A device agent in its own JVM ({@code io.scanorder.agent.AgentMain <config>} on the test
 * classpath), as it runs on a kitchen device, so a drill can kill it with SIGKILL: nothing of the
 * agent runs after that, not even a shutdown hook. Its output goes to a log file next to its
 * configuration.
 */
final class ChildAgent implements AutoCloseable {
    private final Path config;
    private final Path log;
    private Process process;

    /** Writes {@code configuration} to {@code dir/agent.properties}; nothing starts yet. */
    ChildAgent(Properties configuration, Path dir) throws IOException {
        Files.createDirectories(dir);
        this.config = dir.resolve("agent.properties");
        this.log = dir.resolve("agent.log");
        try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            configuration.store(out, "device agent of a fault drill");
        }
    }

    /** Starts the agent process; its log is appended to, so restarts keep the earlier lines. */
    synchronized ChildAgent start() throws IOException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("the agent process is already running: " + process);
        }
        List<String> command =
                List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx128m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "io.scanorder.agent.AgentMain",
                        config.toString());
        process =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
        return this;
    }

    /** SIGKILL: the process ends at once, with whatever it had in hand. */
    synchronized void kill9() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("agent process " + process.pid() + " survived SIGKILL");
        }
    }

    synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    /** What the agent printed so far, for failure messages. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** SIGTERM and wait: the agent's shutdown hook disconnects cleanly. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(40, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
