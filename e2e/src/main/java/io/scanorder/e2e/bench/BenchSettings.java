package io.scanorder.e2e.bench;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The benchmark run's knobs, read from {@code bench.*} system properties (the {@code bench} Maven
 * profile passes them on).
 *
 * @param scenarios which scenarios to run, in order
 * @param threads threads (or clients) of the ceiling loops
 * @param warmUp time before a ceiling loop starts counting
 * @param window how long a ceiling loop counts
 * @param orders orders the kitchen scenario places
 * @param ordersPerSecond the kitchen scenario's steady arrival rate
 * @param devices simulated devices of the devices scenario
 * @param heartbeat the simulated devices' heartbeat interval
 * @param cut devices stopped abruptly to time offline detection
 * @param payments payments the payments scenario sets up and queries (half of them paid)
 * @param outputDir where results.json goes
 */
record BenchSettings(
        List<String> scenarios,
        int threads,
        Duration warmUp,
        Duration window,
        int orders,
        double ordersPerSecond,
        int devices,
        Duration heartbeat,
        int cut,
        int payments,
        Path outputDir) {

    static final List<String> KNOWN =
            List.of("ceilings", "placement", "kitchen", "payments", "devices");

    BenchSettings {
        for (String s : scenarios) {
            if (!KNOWN.contains(s)) {
                throw new IllegalArgumentException(
                        "bench.scenarios: unknown scenario '" + s + "'; known: " + KNOWN);
            }
        }
        if (cut > devices) {
            throw new IllegalArgumentException(
                    "bench.cut (" + cut + ") must not exceed bench.devices (" + devices + ")");
        }
        if (payments < 2) {
            throw new IllegalArgumentException(
                    "bench.payments: must be at least 2 (one settled, one pending), got "
                            + payments);
        }
    }

    static BenchSettings from(Properties p) {
        List<String> scenarios =
                Arrays.stream(p.getProperty("bench.scenarios", String.join(",", KNOWN)).split(","))
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList();
        int seconds = positive(p, "bench.seconds", 10);
        return new BenchSettings(
                scenarios,
                positive(p, "bench.threads", 4),
                Duration.ofSeconds(Math.max(1, seconds / 5)),
                Duration.ofSeconds(seconds),
                positive(p, "bench.orders", 300),
                positiveDouble(p, "bench.orders.per.second", 5),
                positive(p, "bench.devices", 10_000),
                Duration.ofSeconds(positive(p, "bench.heartbeat.seconds", 15)),
                Integer.parseInt(p.getProperty("bench.cut", "100").trim()),
                positive(p, "bench.payments", 60),
                Path.of(p.getProperty("bench.output.dir", "target/bench")));
    }

    /** The knobs, for the report. */
    Map<String, Object> describe() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("scenarios", String.join(",", scenarios));
        d.put("threads", threads);
        d.put("window.seconds", window.toSeconds());
        d.put("orders", orders);
        d.put("orders.per.second", ordersPerSecond);
        d.put("devices", devices);
        d.put("heartbeat.seconds", heartbeat.toSeconds());
        d.put("cut", cut);
        d.put("payments", payments);
        return d;
    }

    private static int positive(Properties p, String name, int fallback) {
        String raw = p.getProperty(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw.trim());
            if (v < 1) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + ": must be a whole number of at least 1, got '" + raw + "'");
        }
    }

    private static double positiveDouble(Properties p, String name, double fallback) {
        String raw = p.getProperty(name);
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            double v = Double.parseDouble(raw.trim());
            if (!(v > 0)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    name + ": must be a number above 0, got '" + raw + "'");
        }
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
