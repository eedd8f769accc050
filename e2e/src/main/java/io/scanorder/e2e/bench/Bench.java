package io.scanorder.e2e.bench;

import io.scanorder.e2e.LocalPlatform;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * The benchmark runner: starts the local platform (real services, broker, database, device agents),
 * runs the named scenarios against it in one process, prints one table and writes {@code
 * results.json}. Run through {@code ./mvnw -B -pl e2e -am -Pplatform-bench -DskipTests verify
 * -Dbench.scenarios=ceilings,placement,kitchen,payments,devices}; exits 1 when a scenario failed.
 */
public final class Bench {
    private Bench() {}

    public static void main(String[] args) {
        try {
            run();
        } catch (Throwable e) {
            // Without this the broker's and clients' threads would keep the JVM (and Maven) alive.
            System.err.println("bench: could not run: " + e);
            e.printStackTrace();
            System.exit(1);
        }
    }

    private static void run() throws Exception {
        BenchSettings settings;
        try {
            settings = BenchSettings.from(System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(2);
            return;
        }
        Files.createDirectories(settings.outputDir());
        BenchReport report = new BenchReport(Instant.now());
        report.parameter("cores", Runtime.getRuntime().availableProcessors());
        report.parameter("java", System.getProperty("java.version"));
        settings.describe().forEach(report::parameter);

        Path serviceLog = settings.outputDir().resolve("services.log");
        System.out.println(
                "bench: starting the local platform (service output in " + serviceLog + ")");
        try (PrintStream serviceOutput =
                        new PrintStream(
                                new FileOutputStream(serviceLog.toFile()),
                                true,
                                StandardCharsets.UTF_8);
                LocalPlatform platform =
                        LocalPlatform.start(
                                Path.of(required("scanorder.order.jar")),
                                Path.of(required("scanorder.payment.jar")),
                                Path.of(required("scanorder.examples.dir")),
                                Path.of(required("scanorder.local.output.dir")),
                                serviceOutput)) {
            for (String scenario : settings.scenarios()) {
                System.out.println("bench: scenario " + scenario);
                long start = System.nanoTime();
                try {
                    switch (scenario) {
                        case CeilingsScenario.NAME ->
                                CeilingsScenario.run(platform, settings, report);
                        case PlacementScenario.NAME ->
                                PlacementScenario.run(platform, settings, report);
                        case KitchenScenario.NAME ->
                                KitchenScenario.run(platform, settings, report);
                        case PaymentsScenario.NAME ->
                                PaymentsScenario.run(platform, settings, report);
                        case DevicesScenario.NAME ->
                                DevicesScenario.run(platform, settings, report);
                        default -> throw new IllegalArgumentException(scenario);
                    }
                } catch (Exception | OutOfMemoryError e) {
                    e.printStackTrace();
                    report.failed(scenario, e.toString());
                }
                System.out.printf(
                        "bench: scenario %s took %s s%n",
                        scenario, BenchReport.number((System.nanoTime() - start) / 1e9));
            }
        }
        System.out.println();
        System.out.print(report.table());
        Path json = settings.outputDir().resolve("results.json");
        report.writeJson(json);
        System.out.println();
        System.out.println("bench: results written to " + json.toAbsolutePath());
        System.exit(report.failures().isEmpty() ? 0 : 1);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(
                    "system property "
                            + property
                            + " is not set; run through ./mvnw -B -pl e2e -am -Pplatform-bench -DskipTests verify");
        }
        return value;
    }
}
