package io.scanorder.wechatsim.miniprogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.wechatsim.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessTokensTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T12:00:00Z"));
    private final AccessTokens tokens = new AccessTokens(clock);

    @Test
    void tokenIsValidForTwoHoursThenReportedExpired() {
        AccessTokens.IssuedToken token = tokens.issue("wxapp1");
        assertThat(token.expiresInSeconds()).isEqualTo(7200);

        clock.advance(Duration.ofSeconds(7199));
        assertThat(tokens.appIdOf(token.accessToken())).isEqualTo("wxapp1");

        clock.advance(Duration.ofSeconds(1));
        assertError(token.accessToken(), WxErrorCode.ACCESS_TOKEN_EXPIRED);
    }

    @Test
    void replacedTokenKeepsWorkingForFiveMinutesOnly() {
        String first = tokens.issue("wxapp1").accessToken();
        String second = tokens.issue("wxapp1").accessToken();
        assertThat(second).isNotEqualTo(first);

        clock.advance(AccessTokens.GRACE.minusSeconds(1));
        assertThat(tokens.appIdOf(first)).isEqualTo("wxapp1");

        clock.advance(Duration.ofSeconds(1));
        assertError(first, WxErrorCode.ACCESS_TOKEN_EXPIRED);
        assertThat(tokens.appIdOf(second)).isEqualTo("wxapp1");
    }

    @Test
    void stableTokenStaysTheSameUntilForceRefresh() {
        AccessTokens.IssuedToken first = tokens.stable("wxapp1", false);
        clock.advance(Duration.ofSeconds(100));
        AccessTokens.IssuedToken again = tokens.stable("wxapp1", false);

        assertThat(again.accessToken()).isEqualTo(first.accessToken());
        assertThat(again.expiresInSeconds()).isEqualTo(7100);

        AccessTokens.IssuedToken refreshed = tokens.stable("wxapp1", true);
        assertThat(refreshed.accessToken()).isNotEqualTo(first.accessToken());
        assertThat(refreshed.expiresInSeconds()).isEqualTo(7200);
    }

    @Test
    void stableAndOrdinaryTokensDoNotReplaceEachOther() {
        String stable = tokens.stable("wxapp1", false).accessToken();
        tokens.issue("wxapp1");
        clock.advance(Duration.ofMinutes(30));

        assertThat(tokens.appIdOf(stable)).isEqualTo("wxapp1");
    }

    @Test
    void missingAndUnknownTokensAreReportedApart() {
        assertError("", WxErrorCode.ACCESS_TOKEN_MISSING);
        assertError("never-issued", WxErrorCode.INVALID_CREDENTIAL);
    }

    private void assertError(String token, WxErrorCode expected) {
        assertThatThrownBy(() -> tokens.appIdOf(token))
                .isInstanceOfSatisfying(
                        WxApiException.class, e -> assertThat(e.error()).isEqualTo(expected));
    }
}
