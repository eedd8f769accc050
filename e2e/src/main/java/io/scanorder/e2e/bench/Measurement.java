package io.scanorder.e2e.bench;

/**
 * One figure of a benchmark run.
 *
 * @param scenario the scenario that measured it, e.g. {@code ceilings}
 * @param metric what was measured, e.g. {@code postgres single-row INSERT}
 * @param value the figure in {@code unit}
 * @param unit e.g. {@code ops/s}, {@code MiB}, {@code devices}
 * @param latency percentiles of the operation, or null when the figure has none
 * @param ratio value divided by the ceiling named in {@code ratioTo}, or null
 * @param ratioTo the ceiling metric the ratio refers to, or null
 * @param note how it was measured or what went wrong, or empty
 */
public record Measurement(
        String scenario,
        String metric,
        double value,
        String unit,
        Latency latency,
        Double ratio,
        String ratioTo,
        String note) {

    public Measurement {
        if (scenario == null || scenario.isBlank() || metric == null || metric.isBlank()) {
            throw new IllegalArgumentException("a measurement needs a scenario and a metric name");
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(
                    scenario + " / " + metric + ": value must be a finite number, got " + value);
        }
        if ((ratio == null) != (ratioTo == null)) {
            throw new IllegalArgumentException(
                    scenario + " / " + metric + ": ratio and ratioTo go together");
        }
        note = note == null ? "" : note;
    }

    /** A plain figure without latency or ratio. */
    public static Measurement of(
            String scenario, String metric, double value, String unit, String note) {
        return new Measurement(scenario, metric, value, unit, null, null, null, note);
    }

    /** This figure compared with {@code ceiling}: value / ceiling.value. */
    public Measurement relativeTo(Measurement ceiling) {
        if (ceiling == null || ceiling.value() <= 0) {
            return this;
        }
        return new Measurement(
                scenario,
                metric,
                value,
                unit,
                latency,
                value / ceiling.value(),
                ceiling.metric(),
                note);
    }
}
