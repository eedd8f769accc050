package io.scanorder.wechatsim.pay;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** WeChat Pay's time formats: RFC 3339 in China Standard Time, e.g. 2024-05-20T13:29:35+08:00. */
public final class WeChatTime {
    /** WeChat Pay's business time zone: bill dates and times are in it. */
    public static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

    private static final DateTimeFormatter RFC3339 =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(CHINA);
    private static final DateTimeFormatter BILL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(CHINA);

    private WeChatTime() {}

    public static String rfc3339(Instant instant) {
        return RFC3339.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** The {@code 交易时间} format of trade bills. */
    public static String billTime(Instant instant) {
        return BILL.format(instant);
    }
}
