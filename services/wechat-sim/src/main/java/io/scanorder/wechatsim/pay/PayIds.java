package io.scanorder.wechatsim.pay;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** Generates identifiers shaped like WeChat's: prepay_id, transaction_id, refund_id, event ids. */
final class PayIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter COMPACT =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss").withZone(WeChatTime.CHINA);
    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(WeChatTime.CHINA);

    private PayIds() {}

    static String prepayId(Instant now) {
        return "wx" + COMPACT.format(now) + hex(16) + digits(4);
    }

    static String transactionId(Instant now) {
        return "4200" + digits(6) + DAY.format(now) + digits(10);
    }

    static String refundId(Instant now) {
        return "50" + digits(10) + DAY.format(now) + digits(10);
    }

    static String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(RANDOM.nextInt(10));
        }
        return sb.toString();
    }

    private static String hex(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(Character.forDigit(RANDOM.nextInt(16), 16));
        }
        return sb.toString();
    }
}
