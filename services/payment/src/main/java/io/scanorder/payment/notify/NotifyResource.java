package io.scanorder.payment.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.exception.DecryptionException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.refund.model.RefundNotification;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.Payments;
import io.scanorder.payment.notify.NotificationMetrics.Result;
import io.scanorder.payment.store.PaymentStore;
import io.scanorder.payment.store.StoreException;
import io.scanorder.payment.wechat.WeChatPayGateway;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * WeChat Pay's notify_url for payment and refund notifications. The signature (Wechatpay-* headers)
 * is verified and the resource decrypted by the SDK's {@code NotificationParser} before anything is
 * read from it; forged, tampered or replayed notifications get 401 and change nothing. Applying is
 * idempotent, so WeChat's re-sends, duplicates and reordering are harmless; success is 204 with no
 * body, as WeChat expects.
 */
@Path("/wechat/pay")
public class NotifyResource {
    private static final Logger LOG = Logger.getLogger(NotifyResource.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** WeChat's own guidance: refuse signatures older (or newer) than five minutes as replays. */
    static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    private final WeChatPayGateway wechat;
    private final Payments payments;
    private final PaymentStore store;
    private final NotificationMetrics metrics;

    NotifyResource(
            WeChatPayGateway wechat,
            Payments payments,
            PaymentStore store,
            NotificationMetrics metrics) {
        this.wechat = wechat;
        this.payments = payments;
        this.store = store;
        this.metrics = metrics;
    }

    /** Payment (TRANSACTION.*) and refund (REFUND.*) notifications, told apart by event_type. */
    @POST
    @Path("/notify")
    @Consumes(MediaType.WILDCARD)
    public Response notify(@Context HttpHeaders headers, String body) {
        return handle(headers, body);
    }

    /** The same handler under a refund-specific path, for merchants that configure one. */
    @POST
    @Path("/refund-notify")
    @Consumes(MediaType.WILDCARD)
    public Response refundNotify(@Context HttpHeaders headers, String body) {
        return handle(headers, body);
    }

    private Response handle(HttpHeaders headers, String body) {
        String serial = headers.getHeaderString("Wechatpay-Serial");
        String timestamp = headers.getHeaderString("Wechatpay-Timestamp");
        String nonce = headers.getHeaderString("Wechatpay-Nonce");
        String signature = headers.getHeaderString("Wechatpay-Signature");
        String signType = headers.getHeaderString("Wechatpay-Signature-Type");
        if (serial == null || timestamp == null || nonce == null || signature == null) {
            return refuse(
                    Result.BAD_SIGNATURE,
                    401,
                    "missing Wechatpay-Serial, -Timestamp, -Nonce or -Signature header");
        }
        String stale = staleness(timestamp);
        if (stale != null) {
            return refuse(Result.BAD_SIGNATURE, 401, stale);
        }
        String id;
        String eventType;
        try {
            JsonNode envelope = JSON.readTree(body == null ? "" : body);
            id = envelope.path("id").asText(null);
            eventType = envelope.path("event_type").asText("");
        } catch (IOException e) {
            return refuse(Result.DECRYPT_FAILED, 400, "body is not a JSON notification");
        }
        RequestParam param =
                new RequestParam.Builder()
                        .serialNumber(serial)
                        .timestamp(timestamp)
                        .nonce(nonce)
                        .signature(signature)
                        // The header is optional: WeChat Pay v3 signs with RSA unless told.
                        .signType(signType == null ? "WECHATPAY2-SHA256-RSA2048" : signType)
                        .body(body)
                        .build();
        try {
            boolean changed;
            String subject;
            if (eventType.startsWith("REFUND.")) {
                RefundNotification refund = wechat.parseRefund(param);
                subject = refund.getOutRefundNo();
                changed = payments.onRefund(refund);
            } else if (eventType.startsWith("TRANSACTION.")) {
                Transaction transaction = wechat.parseTransaction(param);
                subject = transaction.getOutTradeNo();
                changed = payments.onTransaction(transaction);
            } else {
                // Verified, but not an event this service acts on: acknowledge so it stops.
                wechat.parseNotification(param, Map.class);
                LOG.infof("ignoring WeChat Pay notification %s of type %s", id, eventType);
                metrics.count(Result.ACCEPTED);
                return Response.noContent().build();
            }
            boolean first = id == null || store.recordNotification(id, eventType, subject);
            if (!first || !changed) {
                metrics.duplicate();
            }
            metrics.count(Result.ACCEPTED);
            LOG.debugf(
                    "WeChat Pay %s for %s applied (changed=%s, first=%s)",
                    eventType, subject, changed, first);
            return Response.noContent().build();
        } catch (ValidationException e) {
            return refuse(
                    Result.BAD_SIGNATURE,
                    401,
                    "signature verification failed for serial " + serial);
        } catch (DecryptionException | MalformedMessageException e) {
            return refuse(Result.DECRYPT_FAILED, 401, "resource cannot be decrypted");
        } catch (WeChatPayGateway.ForeignMerchantException e) {
            // Signed by WeChat, but for another sub-merchant of the service provider: a store's
            // notify URL or sub_mchid is mixed up. Refused so it is never applied here.
            return refuse(Result.FOREIGN_MERCHANT, 403, e.getMessage());
        } catch (Payments.UnknownPaymentException e) {
            return refuse(Result.UNKNOWN_ORDER, 404, e.getMessage());
        } catch (StoreException | PaymentException e) {
            LOG.errorf("WeChat Pay notification %s could not be stored: %s", id, e.getMessage());
            return refuse(Result.ERROR, 500, "temporarily unable to process; please retry");
        } catch (RuntimeException e) {
            // Includes the SDK failing to fetch platform certificates: WeChat will retry.
            LOG.errorf(
                    "WeChat Pay notification %s failed: %s %s",
                    id, e.getClass().getName(), e.getMessage());
            return refuse(Result.ERROR, 500, "temporarily unable to process; please retry");
        }
    }

    private static String staleness(String timestamp) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return "Wechatpay-Timestamp '" + timestamp + "' is not a number";
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(seconds), Instant.now()).abs();
        if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
            return "Wechatpay-Timestamp is " + skew.toSeconds() + "s away from now (replay?)";
        }
        return null;
    }

    private Response refuse(Result result, int status, String message) {
        metrics.count(result);
        LOG.warnf("refused WeChat Pay notification (%s): %s", result, message);
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("code", "FAIL", "message", message))
                .build();
    }
}
