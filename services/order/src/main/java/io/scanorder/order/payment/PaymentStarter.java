package io.scanorder.order.payment;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.scanorder.order.config.OrderServiceConfig;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.diner.DinerApiException;
import io.scanorder.order.state.OrderState;
import io.scanorder.proto.payment.v1.PrepayRequest;
import io.scanorder.proto.payment.v1.PrepayResponse;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Starts a diner's WeChat payment of an order: checks the order can be paid, takes the amount from
 * the database (never from the client), and asks the payment service for a JSAPI prepay, moving to
 * the next payment attempt when an earlier one is closed or belongs to another payer.
 */
@ApplicationScoped
public class PaymentStarter {
    private static final Logger LOG = Logger.getLogger(PaymentStarter.class);

    /** Attempts tried in one request before giving up (each is one Prepay call). */
    static final int MAX_TRIES = 20;

    /** A prepay for a deadline closer than this would expire before the diner can pay. */
    static final Duration MIN_TIME_TO_PAY = Duration.ofSeconds(10);

    private static final Pattern RETRY_AFTER = Pattern.compile("retry after (\\d{1,9}) s");

    private final Transactions transactions;
    private final PaymentClient payments;
    private final Duration defaultTimeout;
    private final Clock clock = Clock.systemUTC();

    public PaymentStarter(
            Transactions transactions, PaymentClient payments, OrderServiceConfig config) {
        this.transactions = transactions;
        this.payments = payments;
        this.defaultTimeout = config.orderStates().defaultPaymentTimeout();
    }

    /** The arguments of wx.requestPayment for one order. */
    public record Started(UUID orderId, String outTradeNo, long amountFen, PrepayResponse prepay) {}

    private record Payable(
            OrderState state,
            long totalFen,
            String storeCode,
            String storeName,
            String pickupNumber,
            Instant deadline) {}

    public Started start(UUID orderId, String payerOpenid) {
        return start(orderId, payerOpenid, null);
    }

    /**
     * @param deviceFingerprint the diner's per-install device id, already validated, or null: the
     *     payment service limits Prepays per device with it
     */
    public Started start(UUID orderId, String payerOpenid, String deviceFingerprint) {
        Payable order = read(orderId);
        if (order.state() != OrderState.PENDING_PAYMENT) {
            throw notPayable(orderId, order.state());
        }
        Instant now = clock.instant();
        if (order.deadline().isBefore(now.plus(MIN_TIME_TO_PAY))) {
            throw new DinerApiException(
                    409,
                    "ORDER_PAYMENT_EXPIRED",
                    "the time to pay order "
                            + orderId
                            + " ran out at "
                            + order.deadline()
                            + "; place the order again");
        }
        if (order.totalFen() < 1) {
            throw new DinerApiException(
                    409,
                    "ORDER_NOTHING_TO_PAY",
                    "order " + orderId + " totals 0 fen; there is nothing to pay");
        }
        for (int attempt = 1; attempt <= MAX_TRIES; attempt++) {
            String outTradeNo = TradeNumbers.outTradeNo(orderId, attempt);
            PrepayRequest.Builder request =
                    PrepayRequest.newBuilder()
                            .setStoreCode(order.storeCode())
                            .setOutTradeNo(outTradeNo)
                            .setOrderId(orderId.toString())
                            .setDescription(description(order))
                            .setAmountFen(order.totalFen())
                            .setPayerOpenid(payerOpenid)
                            .setExpiresAt(
                                    Timestamp.newBuilder()
                                            .setSeconds(order.deadline().getEpochSecond()));
            if (deviceFingerprint != null) {
                request.setDeviceFingerprint(deviceFingerprint);
            }
            try {
                return new Started(
                        orderId, outTradeNo, order.totalFen(), payments.prepay(request.build()));
            } catch (StatusRuntimeException e) {
                if (!nextAttemptHelps(e)) {
                    throw translate(orderId, outTradeNo, e);
                }
                LOG.debugf(
                        "payment attempt %s of order %s not usable (%s); trying the next",
                        outTradeNo, orderId, e.getStatus().getDescription());
            }
        }
        throw new DinerApiException(
                409,
                "ORDER_TOO_MANY_PAYMENT_ATTEMPTS",
                "order "
                        + orderId
                        + " has "
                        + MAX_TRIES
                        + " payment attempts that cannot be used any more; ask the staff");
    }

    /** Closed attempts, and attempts started by another payer, leave room for the next one. */
    private static boolean nextAttemptHelps(StatusRuntimeException e) {
        Status.Code code = e.getStatus().getCode();
        String message = String.valueOf(e.getStatus().getDescription());
        return code == Status.Code.ALREADY_EXISTS
                || (code == Status.Code.FAILED_PRECONDITION && message.contains("is closed"));
    }

    private DinerApiException translate(UUID orderId, String outTradeNo, StatusRuntimeException e) {
        String detail = e.getStatus().getDescription();
        switch (e.getStatus().getCode()) {
            case UNAVAILABLE, DEADLINE_EXCEEDED -> {
                LOG.warnf(
                        "payment service at %s unavailable for %s: %s %s",
                        payments.address(), outTradeNo, e.getStatus().getCode(), detail);
                return new DinerApiException(
                        503,
                        "PAYMENT_SERVICE_UNAVAILABLE",
                        "payments cannot be started right now (the payment service at "
                                + payments.address()
                                + " did not answer: "
                                + e.getStatus().getCode()
                                + "); the order is kept, try paying again in a minute",
                        5,
                        e);
            }
            case FAILED_PRECONDITION -> {
                return new DinerApiException(
                        409,
                        "ORDER_ALREADY_PAID",
                        "order "
                                + orderId
                                + " has been paid already ("
                                + detail
                                + "); wait for the confirmation");
            }
            case RESOURCE_EXHAUSTED -> {
                // The payment service's per-payer or per-device Prepay limit (or WeChat Pay's
                // frequency limit); its message says which and after how many seconds.
                long retryAfter = retryAfterSeconds(detail);
                LOG.infof("Prepay of %s rate limited: %s", outTradeNo, detail);
                return new DinerApiException(
                        429,
                        "PAYMENT_RATE_LIMITED",
                        "the payment service will not start another payment yet ("
                                + detail
                                + "); order "
                                + orderId
                                + " is kept, pay it again after "
                                + retryAfter
                                + " s",
                        retryAfter,
                        e);
            }
            case OUT_OF_RANGE -> {
                return new DinerApiException(
                        409, "ORDER_OVER_PAYMENT_LIMIT", "order " + orderId + ": " + detail);
            }
            default -> {
                LOG.errorf(
                        "Prepay of %s refused by the payment service: %s %s",
                        outTradeNo, e.getStatus().getCode(), detail);
                return new DinerApiException(
                        502,
                        "PAYMENT_FAILED",
                        "the payment service refused to start paying order "
                                + orderId
                                + " ("
                                + e.getStatus().getCode()
                                + ": "
                                + detail
                                + "); ask the staff",
                        0,
                        e);
            }
        }
    }

    /** The N of "retry after N s" in the payment service's message; 60 when it names none. */
    static long retryAfterSeconds(String detail) {
        Matcher m = RETRY_AFTER.matcher(String.valueOf(detail));
        return m.find() ? Math.max(1, Long.parseLong(m.group(1))) : 60;
    }

    private static DinerApiException notPayable(UUID orderId, OrderState state) {
        String why =
                switch (state) {
                    case CLOSED ->
                            " was closed because it was not paid in time; place the order again";
                    case CANCELLED -> " was cancelled; place the order again";
                    default -> " is paid already (state " + state + ")";
                };
        return new DinerApiException(
                409,
                state == OrderState.CLOSED || state == OrderState.CANCELLED
                        ? "ORDER_NOT_PAYABLE"
                        : "ORDER_ALREADY_PAID",
                "order " + orderId + why);
    }

    /** WeChat shows this in the diner's bill; at most 127 bytes of UTF-8. */
    static String description(Payable order) {
        String suffix = " - order " + order.pickupNumber();
        String name = order.storeName();
        while ((name + suffix).getBytes(StandardCharsets.UTF_8).length > 127) {
            name = name.substring(0, name.length() - 1);
        }
        return name + suffix;
    }

    private Payable read(UUID orderId) {
        return transactions.inTransaction(
                "payment-read-payable",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT o.state, o.total_fen, s.store_code, s.name,"
                                            + " o.pickup_number, COALESCE(o.payment_deadline,"
                                            + " o.created_at + COALESCE(s.order_timeout_seconds, ?)"
                                            + " * INTERVAL '1 second')"
                                            + " FROM orders o JOIN stores s"
                                            + " ON s.store_id = o.store_id WHERE o.order_id = ?")) {
                        ps.setLong(1, defaultTimeout.toSeconds());
                        ps.setObject(2, orderId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                throw new DinerApiException(
                                        404,
                                        "ORDER_NOT_FOUND",
                                        "order " + orderId + " does not exist");
                            }
                            return new Payable(
                                    OrderState.parse(rs.getString(1)),
                                    rs.getLong(2),
                                    rs.getString(3),
                                    rs.getString(4),
                                    rs.getString(5),
                                    rs.getObject(6, OffsetDateTime.class).toInstant());
                        }
                    }
                });
    }
}
