package io.scanorder.payment.store;

import java.time.Duration;

/**
 * Prepay rate limits against card testing and runaway clients: at most {@code perPayer.max}
 * payments started by one payer (openid) and {@code perDevice.max} by one device fingerprint within
 * each limit's sliding window.
 */
public record RiskLimits(Limit perPayer, Limit perDevice) {
    /** At most {@code max} new payments within {@code window}. */
    public record Limit(int max, Duration window) {
        public Limit {
            if (max < 1) {
                throw new IllegalArgumentException("a rate limit's max must be >= 1, got " + max);
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException(
                        "a rate limit's window must be positive, got " + window);
            }
        }
    }

    /**
     * A limit that is reached.
     *
     * @param who "payer" or "device"
     * @param count payments started within the window
     * @param retryAfter how long until one more may start
     */
    public record Exceeded(String who, Limit limit, long count, Duration retryAfter) {}
}
