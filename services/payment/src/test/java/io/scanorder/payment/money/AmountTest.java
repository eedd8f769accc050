package io.scanorder.payment.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AmountTest {

    @ParameterizedTest
    @CsvSource({
        "0,0.00",
        "1,0.01",
        "5,0.05",
        "10,0.10",
        "1999,19.99",
        "123456,1234.56",
        "100,1.00"
    })
    void displaysYuanWithExactlyTwoDecimals(long fen, String yuan) {
        assertThat(Amount.ofFen(fen).toYuanString()).isEqualTo(yuan);
    }

    @ParameterizedTest
    @CsvSource({"12,1200", "12.3,1230", "12.30,1230", "0.01,1", "0.1,10", "88.88,8888"})
    void parsesYuanExactly(String yuan, long fen) {
        assertThat(Amount.parseYuan(yuan).fen()).isEqualTo(fen);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "1.234", "1e3", "1,000.00", ".5", "12.", " 1"})
    void refusesYuanTextItWouldHaveToGuessAt(String text) {
        assertThatThrownBy(() -> Amount.parseYuan(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void sumsOfCentsStayExact() {
        // 0.1 + 0.2 is the classic floating-point trap; in fen it is plain integer arithmetic.
        Amount sum = Amount.parseYuan("0.10").plus(Amount.parseYuan("0.20"));

        assertThat(sum).isEqualTo(Amount.ofFen(30));
        assertThat(sum.toYuanString()).isEqualTo("0.30");
    }

    @Test
    void negativeAmountsAndOverdrawnSubtractionAreRefused() {
        assertThatThrownBy(() -> Amount.ofFen(-1)).hasMessageContaining("-1 fen");
        assertThatThrownBy(() -> Amount.ofFen(100).minus(Amount.ofFen(101)))
                .hasMessage("cannot subtract 1.01 from 1.00 yuan");
        assertThat(Amount.ofFen(100).minus(Amount.ofFen(100)).isZero()).isTrue();
    }

    @Test
    void onlyCnyIsAccepted() {
        assertThat(Amount.of(500, "CNY")).isEqualTo(Amount.ofFen(500));
        assertThatThrownBy(() -> Amount.of(500, "USD"))
                .hasMessage("currency must be CNY, got 'USD'");
    }

    @Test
    void overflowIsAnErrorNotAWrap() {
        assertThatThrownBy(() -> Amount.ofFen(Long.MAX_VALUE).plus(Amount.ofFen(1)))
                .isInstanceOf(ArithmeticException.class);
    }
}
