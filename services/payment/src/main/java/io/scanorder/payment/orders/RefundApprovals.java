package io.scanorder.payment.orders;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.PaymentException.Reason;
import io.scanorder.payment.Payments.RefundCommand;
import io.scanorder.payment.store.PaymentRecord;
import io.scanorder.proto.order.v1.GetOrderRequest;
import io.scanorder.proto.order.v1.Order;
import io.scanorder.proto.order.v1.OrderServiceGrpc;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Before a refund the order service asks for moves money, reads the order back from the order
 * service (GetOrder) and checks it against {@link RefundRules}. A refund the order's record does
 * not allow is refused with FAILED_PRECONDITION and nothing reaches WeChat Pay; when the order
 * service cannot be asked, UNAVAILABLE, so the caller retries. Counted in {@code
 * scanorder_payment_refund_approval_checks_total{result}}.
 */
@ApplicationScoped
public class RefundApprovals {
    private static final Logger LOG = Logger.getLogger(RefundApprovals.class);

    /** Outcomes of one check. */
    enum Result {
        APPROVED,
        REFUSED,
        UNAVAILABLE
    }

    private final OrderServiceChannel orders;
    private final Duration callTimeout;
    private final Map<Result, Counter> results = new EnumMap<>(Result.class);

    RefundApprovals(
            OrderServiceChannel orders,
            MeterRegistry registry,
            @ConfigProperty(
                            name = "scanorder.payment.order-notices.call-timeout",
                            defaultValue = "PT5S")
                    Duration callTimeout) {
        this.orders = orders;
        this.callTimeout = callTimeout;
        for (Result r : Result.values()) {
            results.put(
                    r,
                    Counter.builder("scanorder.payment.refund.approval.checks")
                            .description(
                                    "Refunds checked against the order's record before WeChat Pay"
                                            + " is asked, by result; refused means the order"
                                            + " service's record does not allow the refund")
                            .tag("result", r.name().toLowerCase(Locale.ROOT))
                            .register(registry));
        }
    }

    /**
     * Checks one refund of {@code payment} against its order's record.
     *
     * @throws PaymentException FAILED_PRECONDITION when the order's record does not allow it,
     *     UNAVAILABLE when the order service cannot be asked
     */
    public void check(RefundCommand c, PaymentRecord payment) {
        Order order;
        try {
            order =
                    OrderServiceGrpc.newBlockingStub(orders.get())
                            .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                            .getOrder(
                                    GetOrderRequest.newBuilder()
                                            .setOrderId(payment.orderId())
                                            .build());
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            if (code == Status.Code.NOT_FOUND) {
                throw refuse(
                        c,
                        "order "
                                + payment.orderId()
                                + " of out_trade_no "
                                + c.outTradeNo()
                                + " does not exist at the order service");
            }
            if (code == Status.Code.UNAVAILABLE) {
                orders.reconnectSoon();
            }
            results.get(Result.UNAVAILABLE).increment();
            String why =
                    "cannot check refund "
                            + c.outRefundNo()
                            + " against order "
                            + payment.orderId()
                            + ": the order service at "
                            + orders.address()
                            + " answered "
                            + code
                            + (e.getStatus().getDescription() == null
                                    ? ""
                                    : " (" + e.getStatus().getDescription() + ")")
                            + "; nothing was sent to WeChat Pay, ask again later";
            LOG.warn(why);
            throw new PaymentException(Reason.UNAVAILABLE, why, e);
        }
        Optional<String> refusal =
                RefundRules.refusal(
                        order, c.storeCode(), c.outRefundNo(), c.refundFen(), c.goods());
        if (refusal.isPresent()) {
            throw refuse(c, refusal.get());
        }
        results.get(Result.APPROVED).increment();
    }

    private PaymentException refuse(RefundCommand c, String why) {
        results.get(Result.REFUSED).increment();
        LOG.errorf(
                "refused refund %s of %s (store %s): %s. Nothing was sent to WeChat Pay. If the"
                        + " request did not come from the store's order service, find its caller;"
                        + " otherwise compare the order's refunds in the order service",
                c.outRefundNo(), c.outTradeNo(), c.storeCode(), why);
        return new PaymentException(
                Reason.FAILED_PRECONDITION, "refund not allowed by the order's record: " + why);
    }
}
