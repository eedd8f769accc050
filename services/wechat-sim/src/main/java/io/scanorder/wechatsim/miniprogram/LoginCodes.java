package io.scanorder.wechatsim.miniprogram;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The codes {@code wx.login()} gives a mini program: bound to one app and one user, usable once,
 * valid for 5 minutes. The simulator issues them on request of a test or the local runner, standing
 * in for the WeChat client.
 */
public final class LoginCodes {
    /** How long an unused code can be exchanged. */
    public static final Duration VALIDITY = Duration.ofMinutes(5);

    // Redeemed and expired codes are remembered this long, so reuse answers "code been used".
    private static final Duration MEMORY = Duration.ofHours(1);
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Who logged in: the user's openid in that app and, if the app is bound, the unionid. */
    public record Login(String appId, String openid, Optional<String> unionid) {
        public Login {
            Objects.requireNonNull(appId, "appId");
            requireUserId("openid", openid);
            unionid.ifPresent(u -> requireUserId("unionid", u));
        }
    }

    private static final class Issued {
        final Login login;
        final Instant issuedAt;
        boolean redeemed;

        Issued(Login login, Instant issuedAt) {
            this.login = login;
            this.issuedAt = issuedAt;
        }
    }

    private final Clock clock;
    private final Map<String, Issued> codes = new HashMap<>();

    public LoginCodes(Clock clock) {
        this.clock = clock;
    }

    /** Issues a fresh code for the login. */
    public synchronized String issue(Login login) {
        Instant now = clock.instant();
        codes.values().removeIf(i -> i.issuedAt.plus(MEMORY).isBefore(now));
        String code;
        do {
            code = newCode();
        } while (codes.containsKey(code));
        codes.put(code, new Issued(login, now));
        return code;
    }

    /**
     * Exchanges a code for the login it stands for. A code WeChat never issued for this app, or one
     * past its 5 minutes, is 40029 "invalid code"; a second exchange is 40163.
     */
    public synchronized Login redeem(String appId, String code) {
        Issued issued = codes.get(code);
        if (issued == null || !issued.login.appId().equals(appId)) {
            throw new WxApiException(WxErrorCode.INVALID_CODE);
        }
        if (issued.redeemed) {
            throw new WxApiException(WxErrorCode.CODE_BEEN_USED);
        }
        if (!issued.issuedAt.plus(VALIDITY).isAfter(clock.instant())) {
            throw new WxApiException(WxErrorCode.INVALID_CODE);
        }
        issued.redeemed = true;
        return issued.login;
    }

    private static void requireUserId(String field, String value) {
        if (value == null || !USER_ID.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    field + " must be 1-64 characters of [A-Za-z0-9_-], got '" + value + "'");
        }
    }

    private static String newCode() {
        char[] chars = new char[32];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(chars);
    }
}
