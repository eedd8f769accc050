package io.scanorder.wechatsim.pay.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
    @Test
    void wechatScheduleRetriesFifteenTimesOverTwentyFourHoursAndFourMinutes() {
        RetrySchedule schedule = RetrySchedule.wechat();

        assertThat(schedule.maxAttempts()).isEqualTo(16);
        assertThat(schedule.delayAfter(1)).contains(Duration.ofSeconds(15));
        assertThat(schedule.delayAfter(4)).contains(Duration.ofMinutes(3));
        assertThat(schedule.delayAfter(16)).isEmpty();
        assertThat(schedule.delays().stream().reduce(Duration.ZERO, Duration::plus))
                .isEqualTo(Duration.ofHours(24).plusMinutes(4));
    }

    @Test
    void scalingCompressesEveryDelay() {
        RetrySchedule fast = RetrySchedule.wechat().scaled(0.001);

        assertThat(fast.delayAfter(1)).contains(Duration.ofMillis(15));
        assertThat(fast.delayAfter(15)).contains(Duration.ofMillis(21_600));
    }
}
