package io.scanorder.order.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class TradeNumbersTest {

    @RepeatedTest(200)
    void anOrderKeyIs22Base62CharactersAndReadsBackToTheSameOrder() {
        UUID id = UUID.randomUUID();
        String key = TradeNumbers.orderKey(id);
        assertThat(key).hasSize(22).matches("[0-9A-Za-z]{22}");
        assertThat(TradeNumbers.orderId(key)).isEqualTo(id);
    }

    @Test
    void extremeIdsKeepTheirWidth() {
        UUID zero = new UUID(0, 0);
        UUID max = new UUID(-1, -1);
        assertThat(TradeNumbers.orderKey(zero)).isEqualTo("0".repeat(22));
        assertThat(TradeNumbers.orderId(TradeNumbers.orderKey(max))).isEqualTo(max);
    }

    @Test
    void outTradeNoFitsWeChatsLimitEvenAtTheLastAttempt() {
        String no = TradeNumbers.outTradeNo(UUID.randomUUID(), TradeNumbers.MAX_ATTEMPT);
        assertThat(no).hasSizeLessThanOrEqualTo(32).endsWith("_999");
        assertThatThrownBy(() -> TradeNumbers.outTradeNo(UUID.randomUUID(), 1000))
                .hasMessageContaining("attempt must be 1-999");
    }

    @Test
    void malformedKeysAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TradeNumbers.orderId("abc"))
                .hasMessageContaining("22 base-62 characters");
        assertThatThrownBy(() -> TradeNumbers.orderId("-".repeat(22)))
                .hasMessageContaining("'-', not a base-62 digit");
        assertThatThrownBy(() -> TradeNumbers.orderId("z".repeat(22)))
                .hasMessageContaining("out of range");
    }
}
