package io.scanorder.e2e.bench;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Latency percentiles of one measured operation, in milliseconds.
 *
 * @param count how many operations were measured
 */
public record Latency(long count, double p50, double p90, double p99, double max) {

    /** Longest latency a histogram can hold: 10 minutes in microseconds. */
    private static final long HIGHEST_MICROS = 600_000_000L;

    /** A histogram of microseconds, 3 significant digits, safe to record from many threads. */
    public static Histogram newHistogram() {
        return new ConcurrentHistogram(1, HIGHEST_MICROS, 3);
    }

    /** Records {@code nanos} (clamped to 1 µs .. 10 min) into a histogram of microseconds. */
    public static void recordNanos(Histogram micros, long nanos) {
        micros.recordValue(Math.max(1, Math.min(HIGHEST_MICROS, nanos / 1_000)));
    }

    /** The percentiles of a histogram of microseconds; all zero when it is empty. */
    public static Latency ofMicros(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0);
        }
        return new Latency(
                micros.getTotalCount(),
                millis(micros.getValueAtPercentile(50)),
                millis(micros.getValueAtPercentile(90)),
                millis(micros.getValueAtPercentile(99)),
                millis(micros.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / 1_000.0;
    }
}
