package io.scanorder.e2e.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The figures of one benchmark run: printed as one Markdown table (the same table goes into
 * docs/development.md) and written as JSON for machines.
 */
public final class BenchReport {
    private static final ObjectMapper JSON =
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Instant startedAt;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final List<Measurement> measurements = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();

    public BenchReport(Instant startedAt) {
        this.startedAt = startedAt;
    }

    /** A run parameter worth repeating with the figures (cores, device count, ...). */
    public synchronized BenchReport parameter(String name, Object value) {
        parameters.put(name, String.valueOf(value));
        return this;
    }

    public synchronized Measurement add(Measurement m) {
        measurements.add(m);
        return m;
    }

    /** A scenario that could not finish, with why; printed under the table and in the JSON. */
    public synchronized void failed(String scenario, String why) {
        failures.add(scenario + ": " + why);
    }

    public synchronized List<Measurement> measurements() {
        return List.copyOf(measurements);
    }

    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    /** The first measurement of {@code scenario} named {@code metric}. */
    public synchronized Optional<Measurement> find(String scenario, String metric) {
        return measurements.stream()
                .filter(m -> m.scenario().equals(scenario) && m.metric().equals(metric))
                .findFirst();
    }

    /** Every figure as one Markdown table, then the failures, if any. */
    public synchronized String table() {
        StringBuilder out = new StringBuilder();
        out.append(
                "| scenario | metric | value | unit | n | p50 ms | p90 ms | p99 ms | max ms |"
                        + " vs ceiling | note |\n");
        out.append("|---|---|--:|---|--:|--:|--:|--:|--:|---|---|\n");
        for (Measurement m : measurements) {
            Latency l = m.latency();
            out.append("| ")
                    .append(m.scenario())
                    .append(" | ")
                    .append(m.metric())
                    .append(" | ")
                    .append(number(m.value()))
                    .append(" | ")
                    .append(m.unit())
                    .append(" | ")
                    .append(l == null ? "" : Long.toString(l.count()))
                    .append(" | ")
                    .append(l == null ? "" : number(l.p50()))
                    .append(" | ")
                    .append(l == null ? "" : number(l.p90()))
                    .append(" | ")
                    .append(l == null ? "" : number(l.p99()))
                    .append(" | ")
                    .append(l == null ? "" : number(l.max()))
                    .append(" | ")
                    .append(m.ratio() == null ? "" : ratio(m.ratio()) + " of " + m.ratioTo())
                    .append(" | ")
                    .append(m.note().replace("|", "/"))
                    .append(" |\n");
        }
        for (String failure : failures) {
            out.append("\nFAILED ").append(failure).append('\n');
        }
        return out.toString();
    }

    /** The run as JSON: when, parameters, every measurement, failures. */
    public synchronized String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("startedAt", startedAt.toString());
        ObjectNode params = root.putObject("parameters");
        parameters.forEach(params::put);
        ArrayNode results = root.putArray("results");
        for (Measurement m : measurements) {
            ObjectNode r = results.addObject();
            r.put("scenario", m.scenario());
            r.put("metric", m.metric());
            r.put("value", m.value());
            r.put("unit", m.unit());
            if (m.latency() != null) {
                ObjectNode l = r.putObject("latencyMs");
                l.put("count", m.latency().count());
                l.put("p50", m.latency().p50());
                l.put("p90", m.latency().p90());
                l.put("p99", m.latency().p99());
                l.put("max", m.latency().max());
            }
            if (m.ratio() != null) {
                ObjectNode ratio = r.putObject("ratio");
                ratio.put("to", m.ratioTo());
                ratio.put("value", m.ratio());
            }
            if (!m.note().isEmpty()) {
                r.put("note", m.note());
            }
        }
        ArrayNode failed = root.putArray("failures");
        failures.forEach(failed::add);
        try {
            return JSON.writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the benchmark results as JSON", e);
        }
    }

    /** Writes {@link #json()} to {@code file}, creating its folder. */
    public void writeJson(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, json());
    }

    /**
     * A figure with as many decimals as make sense for people: none from 100 on, one from 10 on,
     * two below; thousands separated by commas.
     */
    static String number(double value) {
        double abs = Math.abs(value);
        String pattern = abs >= 100 ? "%,.0f" : abs >= 10 ? "%,.1f" : "%,.2f";
        return String.format(Locale.ROOT, pattern, value);
    }

    /** A ratio as a percentage with one decimal (0.0625 -> 6.3 %). */
    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }
}
