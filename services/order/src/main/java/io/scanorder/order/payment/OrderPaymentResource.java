package io.scanorder.order.payment;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.scanorder.order.diner.DinerApiException;
import io.scanorder.order.diner.DinerSession;
import io.scanorder.order.diner.DinerSessions;
import io.scanorder.proto.payment.v1.RequestPaymentParams;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Diner API: pay an order with WeChat Pay. Answers the arguments of {@code wx.requestPayment}; the
 * payer is the session's openid and the amount the order's total in the database. Refusals are JSON
 * {@code {"reason", "message"}} like the rest of the diner API. The mini program sends a stable
 * per-install id in {@value #FINGERPRINT_HEADER}; the payment service limits Prepays per device by
 * it, and a refusal over a limit is 429 with {@code Retry-After}.
 */
@Path("/api/v1/orders/{orderId}/payment")
public class OrderPaymentResource {
    /** The optional header with the diner's device fingerprint. */
    public static final String FINGERPRINT_HEADER = "X-Device-Fingerprint";

    private static final Pattern FINGERPRINT = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    private final DinerSessions sessions;
    private final PaymentStarter starter;

    public OrderPaymentResource(DinerSessions sessions, PaymentStarter starter) {
        this.sessions = sessions;
        this.starter = starter;
    }

    /**
     * What the mini program passes to {@code wx.requestPayment}, plus what is being paid.
     *
     * @param packageValue {@code package}: "prepay_id=..."
     */
    public record PaymentParams(
            String orderId,
            String outTradeNo,
            long amountFen,
            String timeStamp,
            String nonceStr,
            @JsonProperty("package") String packageValue,
            String signType,
            String paySign) {}

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public PaymentParams pay(
            @PathParam("orderId") String orderId,
            @HeaderParam("Authorization") String authorization,
            @HeaderParam(FINGERPRINT_HEADER) String deviceFingerprint) {
        requireValidFingerprint(deviceFingerprint);
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        DinerSession session = sessions.resolve(token);
        UUID id;
        try {
            id = PaymentRecorder.parseOrderId(orderId);
        } catch (IllegalArgumentException e) {
            throw new DinerApiException(404, "ORDER_NOT_FOUND", "orderId: " + e.getMessage());
        }
        PaymentStarter.Started started = starter.start(id, session.openid(), deviceFingerprint);
        RequestPaymentParams p = started.prepay().getRequestPayment();
        return new PaymentParams(
                id.toString(),
                started.outTradeNo(),
                started.amountFen(),
                p.getTimeStamp(),
                p.getNonceStr(),
                p.getPackageValue(),
                p.getSignType(),
                p.getPaySign());
    }

    /** Absent is fine (older mini-program builds); present, it must be a per-install id. */
    static void requireValidFingerprint(String fingerprint) {
        if (fingerprint == null || FINGERPRINT.matcher(fingerprint).matches()) {
            return;
        }
        String shown =
                fingerprint.length() > 80 ? fingerprint.substring(0, 80) + "..." : fingerprint;
        throw new DinerApiException(
                400,
                "DEVICE_FINGERPRINT_INVALID",
                FINGERPRINT_HEADER
                        + ": must be 8-64 characters from A-Z, a-z, 0-9, '_' and '-' (the"
                        + " mini program's per-install id), got "
                        + fingerprint.length()
                        + " characters '"
                        + shown
                        + "'");
    }
}
