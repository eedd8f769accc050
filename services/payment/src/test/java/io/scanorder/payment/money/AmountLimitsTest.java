package io.scanorder.payment.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AmountLimitsTest {
    private final AmountLimits limits = AmountLimits.upTo(Amount.parseYuan("2000"));

    @Test
    void amountsWithinTheLimitsPass() {
        assertThat(limits.check("total", Amount.ofFen(1))).isEqualTo(Amount.ofFen(1));
        assertThat(limits.check("total", Amount.parseYuan("2000.00")))
                .isEqualTo(Amount.ofFen(200_000));
    }

    @Test
    void zeroIsBelowWeChatsMinimum() {
        assertThatThrownBy(() -> limits.check("amount.total", Amount.ZERO))
                .hasMessage("amount.total is 0.00 yuan, below the minimum of 0.01 yuan per order");
    }

    @Test
    void amountAboveTheStoreLimitNamesFieldAndLimit() {
        assertThatThrownBy(() -> limits.check("amount.total", Amount.parseYuan("2000.01")))
                .hasMessage(
                        "amount.total is 2000.01 yuan, above the per-order limit of 2000.00 yuan");
    }

    @Test
    void inconsistentLimitsAreRefused() {
        assertThatThrownBy(() -> new AmountLimits(Amount.ZERO, Amount.ofFen(100)))
                .hasMessageContaining("at least 0.01");
        assertThatThrownBy(() -> new AmountLimits(Amount.ofFen(500), Amount.ofFen(100)))
                .hasMessageContaining("1.00 is below the minimum 5.00");
    }
}
