package io.scanorder.wechatsim.pay.notify;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * When an unacknowledged notification is sent again. WeChat Pay re-sends after 15s, 15s, 30s, 3m,
 * 10m, 20m, 30m, 30m, 30m, 60m, 3h, 3h, 3h, 6h and 6h; tests compress that with {@link #scaled}.
 *
 * @param delays waits between consecutive attempts; one more attempt than delays is made
 * @param scale factor applied to every delay (1.0 is WeChat's real pace)
 */
public record RetrySchedule(List<Duration> delays, double scale) {
    public RetrySchedule {
        delays = List.copyOf(delays);
        if (!(scale > 0)) {
            throw new IllegalArgumentException("scale must be > 0, got " + scale);
        }
    }

    /** WeChat Pay's own schedule at real pace. */
    public static RetrySchedule wechat() {
        return new RetrySchedule(
                List.of(
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(15),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(3),
                        Duration.ofMinutes(10),
                        Duration.ofMinutes(20),
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(30),
                        Duration.ofMinutes(60),
                        Duration.ofHours(3),
                        Duration.ofHours(3),
                        Duration.ofHours(3),
                        Duration.ofHours(6),
                        Duration.ofHours(6)),
                1.0);
    }

    /** The same schedule with every delay multiplied by {@code factor} (e.g. 0.001: 15s → 15ms). */
    public RetrySchedule scaled(double factor) {
        return new RetrySchedule(delays, scale * factor);
    }

    /** How long to wait after failed attempt {@code attempt} (1-based); empty when out of tries. */
    public Optional<Duration> delayAfter(int attempt) {
        if (attempt < 1 || attempt > delays.size()) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos((long) (delays.get(attempt - 1).toNanos() * scale)));
    }

    /** Total attempts one notification gets: the first plus one per delay. */
    public int maxAttempts() {
        return delays.size() + 1;
    }
}
