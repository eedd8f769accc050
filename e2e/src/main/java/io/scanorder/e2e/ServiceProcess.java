package io.scanorder.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * A Quarkus service started from its built fast-jar as a child JVM, the way it runs in a container:
 * its own process, configured only through system properties. Output is prefixed with the service
 * name and the last lines are kept so a failed start can say why.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final int TAIL_LINES = 40;

    private final String name;
    private final Process process;
    private final Deque<String> tail = new ArrayDeque<>();
    // How it was started, so a drill can start it again the same way (relaunch()).
    private final Path jar;
    private final Map<String, String> properties;
    private final PrintStream out;

    private ServiceProcess(
            String name,
            Process process,
            Path jar,
            Map<String, String> properties,
            PrintStream out) {
        this.name = name;
        this.process = process;
        this.jar = jar;
        this.properties = Map.copyOf(properties);
        this.out = out;
        Thread pump = new Thread(() -> pump(out), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code jar} with the given system properties.
     *
     * @throws IllegalStateException when the jar has not been built yet
     */
    public static ServiceProcess start(
            String name, Path jar, Map<String, String> properties, PrintStream out)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(
                    name
                            + ": "
                            + jar
                            + " does not exist. Build it first (./mvnw -B -DskipTests verify)"
                            + " or run through the README's local command, which builds it.");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ServiceProcess(name, process, jar, properties, out);
    }

    /**
     * Starts another process of this service from the same jar with the same properties (so on the
     * same ports); the caller stops this one first.
     */
    public ServiceProcess relaunch() throws IOException {
        return start(name, jar, properties, out);
    }

    private void pump(PrintStream out) {
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                if (out != null) {
                    out.println("[" + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // The process went away; its exit is reported by awaitReady or close.
        }
    }

    /**
     * Polls {@code healthUrl} until it answers 200 or {@code timeout} passes.
     *
     * @throws IllegalStateException with the service's last output when it exits or never gets
     *     ready
     */
    public void awaitReady(URI healthUrl, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        name
                                + " exited with code "
                                + process.exitValue()
                                + " before it was ready. Last output:\n"
                                + tail());
            }
            try {
                HttpResponse<Void> response =
                        http.send(
                                HttpRequest.newBuilder(healthUrl)
                                        .timeout(Duration.ofSeconds(2))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // keep polling
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(
                name
                        + " was not ready at "
                        + healthUrl
                        + " within "
                        + timeout
                        + ". Last output:\n"
                        + tail());
    }

    /** The last lines the service printed. */
    public String tail() {
        synchronized (tail) {
            return String.join("\n", tail);
        }
    }

    /** The service's name as given at start, e.g. {@code order}. */
    public String name() {
        return name;
    }

    /** The child JVM's process id (for /proc and jcmd, e.g. from the benchmarks). */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Asks the service to stop (SIGTERM, so Quarkus shuts down gracefully), then kills it. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
