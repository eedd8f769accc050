package io.scanorder.payment.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutTradeNoTest {
    private static final String ULID = "01JH8Z3KQ4T6V2XW9YB5C7D8EF";

    @Test
    void roundTripsOrderIdAndAttempt() {
        OutTradeNo no = new OutTradeNo(ULID, 3);

        assertThat(no.value()).isEqualTo(ULID + "_3");
        assertThat(OutTradeNo.parse(no.value())).isEqualTo(no);
    }

    @Test
    void everyValueItProducesSatisfiesWeChatsRule() {
        for (String orderId : new String[] {"A1b2", ULID, "9".repeat(28)}) {
            for (int attempt : new int[] {1, 9, 10, 999}) {
                assertThat(new OutTradeNo(orderId, attempt).value())
                        .matches(OutTradeNo.WECHAT_FORMAT);
            }
        }
    }

    @Test
    void retryGetsANewOutTradeNo() {
        OutTradeNo first = OutTradeNo.first(ULID);
        OutTradeNo retry = first.nextAttempt();

        assertThat(retry.value()).isNotEqualTo(first.value()).endsWith("_2");
        assertThatThrownBy(() -> new OutTradeNo(ULID, 999).nextAttempt())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all 999 payment attempts");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "abc", "has space_1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "订单号123456"})
    void valuesBreakingWeChatsRuleAreRefusedAsSuch(String value) {
        assertThatThrownBy(() -> OutTradeNo.parse(value))
                .hasMessageStartingWith("out_trade_no must be 6-32 characters")
                .hasMessageContaining("'" + value + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ORDER-123", "abcd_0", "abcd_1000", "abcd_01", "ab_c_12", "abcdef"})
    void weChatValidValuesScanOrderNeverIssuesAreRefused(String value) {
        assertThatThrownBy(() -> OutTradeNo.parse(value))
                .hasMessage(
                        "out_trade_no '"
                                + value
                                + "' was not issued by ScanOrder: expected {orderId}_{attempt}");
    }

    @Test
    void badOrderIdOrAttemptIsNamed() {
        assertThatThrownBy(() -> new OutTradeNo("ab-c", 1))
                .hasMessage("orderId must be 4-28 characters of [0-9A-Za-z], got 'ab-c'");
        assertThatThrownBy(() -> new OutTradeNo(ULID, 0))
                .hasMessage("attempt must be 1-999, got 0 for order " + ULID);
    }
}
