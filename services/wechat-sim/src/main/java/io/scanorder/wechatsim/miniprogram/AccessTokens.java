package io.scanorder.wechatsim.miniprogram;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * Access tokens the way WeChat hands them out: 2 hours of validity; fetching a new ordinary token
 * leaves the previous one usable for 5 more minutes so a fleet of servers can switch over; the
 * stable token is a separate slot that stays the same until it expires or a force refresh.
 */
public final class AccessTokens {
    /** Lifetime WeChat gives a token ({@code expires_in} 7200). */
    public static final Duration LIFETIME = Duration.ofSeconds(7200);

    /** How long a replaced token keeps working. */
    public static final Duration GRACE = Duration.ofMinutes(5);

    private static final SecureRandom RANDOM = new SecureRandom();

    /** A token as returned to the caller. */
    public record IssuedToken(String accessToken, long expiresInSeconds) {}

    private record Entry(String appId, Instant expiresAt) {}

    private final Clock clock;
    private final Map<String, Entry> byToken = new HashMap<>();
    private final Map<String, String> ordinaryByApp = new HashMap<>();
    private final Map<String, String> stableByApp = new HashMap<>();

    public AccessTokens(Clock clock) {
        this.clock = clock;
    }

    /** {@code /cgi-bin/token}: always a new token; the app's previous one enters its grace time. */
    public synchronized IssuedToken issue(String appId) {
        return replace(ordinaryByApp, appId);
    }

    /**
     * {@code /cgi-bin/stable_token}: the current stable token while it is valid, a new one when it
     * has expired or {@code forceRefresh} is set.
     */
    public synchronized IssuedToken stable(String appId, boolean forceRefresh) {
        Instant now = clock.instant();
        String current = stableByApp.get(appId);
        Entry entry = current == null ? null : byToken.get(current);
        if (!forceRefresh && entry != null && entry.expiresAt().isAfter(now)) {
            return new IssuedToken(current, Duration.between(now, entry.expiresAt()).toSeconds());
        }
        return replace(stableByApp, appId);
    }

    /**
     * The AppID a token belongs to; errors as WeChat reports them: 41001 when missing, 42001 when
     * expired, 40001 when never issued or long forgotten.
     */
    public synchronized String appIdOf(String token) {
        if (token == null || token.isBlank()) {
            throw new WxApiException(WxErrorCode.ACCESS_TOKEN_MISSING);
        }
        Entry entry = byToken.get(token);
        if (entry == null) {
            throw new WxApiException(WxErrorCode.INVALID_CREDENTIAL);
        }
        if (!entry.expiresAt().isAfter(clock.instant())) {
            throw new WxApiException(WxErrorCode.ACCESS_TOKEN_EXPIRED);
        }
        return entry.appId();
    }

    /**
     * Invalidates every token of the app at once, as resetting the AppSecret or another server
     * fetching tokens does; callers then get 40001 and must fetch a new token.
     */
    public synchronized void revokeAll(String appId) {
        byToken.values().removeIf(e -> e.appId().equals(appId));
        ordinaryByApp.remove(appId);
        stableByApp.remove(appId);
    }

    private IssuedToken replace(Map<String, String> slot, String appId) {
        Instant now = clock.instant();
        forgetLongExpired(now);
        String previous = slot.get(appId);
        if (previous != null) {
            Entry old = byToken.get(previous);
            if (old != null) {
                Instant graceEnd = now.plus(GRACE);
                if (old.expiresAt().isAfter(graceEnd)) {
                    byToken.put(previous, new Entry(appId, graceEnd));
                }
            }
        }
        String token = newToken();
        byToken.put(token, new Entry(appId, now.plus(LIFETIME)));
        slot.put(appId, token);
        return new IssuedToken(token, LIFETIME.toSeconds());
    }

    private void forgetLongExpired(Instant now) {
        // Expired tokens are kept a while so callers get "expired" rather than "invalid".
        Instant horizon = now.minus(LIFETIME);
        byToken.values().removeIf(e -> e.expiresAt().isBefore(horizon));
    }

    private static String newToken() {
        byte[] bytes = new byte[96];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
