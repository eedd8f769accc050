package io.scanorder.wechatsim.miniprogram;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.wechatsim.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoginCodesTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T12:00:00Z"));
    private final LoginCodes codes = new LoginCodes(clock);
    private final LoginCodes.Login alice =
            new LoginCodes.Login("wxapp1", "oAlice", Optional.of("uAlice"));

    @Test
    void codeRedeemsOnceForTheLoginItWasIssuedFor() {
        String code = codes.issue(alice);

        assertThat(code).matches("[0-9A-Za-z]{32}");
        assertThat(codes.redeem("wxapp1", code)).isEqualTo(alice);
    }

    @Test
    void secondRedemptionIsCodeBeenUsed() {
        String code = codes.issue(alice);
        codes.redeem("wxapp1", code);

        assertThatThrownBy(() -> codes.redeem("wxapp1", code))
                .isInstanceOfSatisfying(
                        WxApiException.class,
                        e -> assertThat(e.error()).isEqualTo(WxErrorCode.CODE_BEEN_USED));
    }

    @Test
    void codeIsValidForJustUnderFiveMinutes() {
        String early = codes.issue(alice);
        String late = codes.issue(alice);

        clock.advance(LoginCodes.VALIDITY.minusSeconds(1));
        assertThat(codes.redeem("wxapp1", early).openid()).isEqualTo("oAlice");

        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> codes.redeem("wxapp1", late))
                .isInstanceOfSatisfying(
                        WxApiException.class,
                        e -> assertThat(e.error()).isEqualTo(WxErrorCode.INVALID_CODE));
    }

    @Test
    void codeOfAnotherAppOrNeverIssuedIsInvalid() {
        String code = codes.issue(alice);

        assertThatThrownBy(() -> codes.redeem("wxapp2", code))
                .isInstanceOfSatisfying(
                        WxApiException.class,
                        e -> assertThat(e.error()).isEqualTo(WxErrorCode.INVALID_CODE));
        assertThatThrownBy(() -> codes.redeem("wxapp1", "no-such-code"))
                .isInstanceOfSatisfying(
                        WxApiException.class,
                        e -> assertThat(e.error()).isEqualTo(WxErrorCode.INVALID_CODE));
        // The failed attempt from another app did not burn the code.
        assertThat(codes.redeem("wxapp1", code)).isEqualTo(alice);
    }

    @Test
    void malformedOpenidIsRefusedWithTheFieldName() {
        assertThatThrownBy(() -> new LoginCodes.Login("wxapp1", "o Alice", Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("openid")
                .hasMessageContaining("'o Alice'");
    }
}
