package io.scanorder.payment.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OutRefundNoTest {

    @Test
    void roundTripsOrderIdAndSequence() {
        OutRefundNo no = new OutRefundNo("01JH8Z3KQ4T6V2XW9YB5C7D8EF", 2);

        assertThat(no.value()).isEqualTo("01JH8Z3KQ4T6V2XW9YB5C7D8EF_R2");
        assertThat(no.value()).matches(OutRefundNo.WECHAT_FORMAT);
        assertThat(OutRefundNo.parse(no.value())).isEqualTo(no);
    }

    @Test
    void malformedValuesAreRefusedWithTheRuleTheyBreak() {
        assertThatThrownBy(() -> OutRefundNo.parse(""))
                .hasMessageStartingWith("out_refund_no must be 1-64 characters");
        assertThatThrownBy(() -> OutRefundNo.parse("r".repeat(65)))
                .hasMessageStartingWith("out_refund_no must be 1-64 characters");
        assertThatThrownBy(() -> OutRefundNo.parse("abcd_2"))
                .hasMessage(
                        "out_refund_no 'abcd_2' was not issued by ScanOrder:"
                                + " expected {orderId}_R{sequence}");
    }

    @Test
    void moreThanFiftyRefundsPerOrderAreRefused() {
        assertThatThrownBy(() -> OutRefundNo.parse("abcd_R51"))
                .hasMessage("refund sequence must be 1-50, got 51 for order abcd");
    }
}
