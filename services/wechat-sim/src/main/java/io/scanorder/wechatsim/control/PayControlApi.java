package io.scanorder.wechatsim.control;

import static io.scanorder.wechatsim.control.ControlRequests.jsonObject;
import static io.scanorder.wechatsim.control.ControlRequests.optionalEnum;
import static io.scanorder.wechatsim.control.ControlRequests.optionalInt;
import static io.scanorder.wechatsim.control.ControlRequests.optionalText;
import static io.scanorder.wechatsim.control.ControlRequests.requireMethod;
import static io.scanorder.wechatsim.control.ControlRequests.requiredText;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanorder.wechatsim.http.ApiModule;
import io.scanorder.wechatsim.http.Router;
import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.http.SimResponse;
import io.scanorder.wechatsim.pay.Merchant;
import io.scanorder.wechatsim.pay.PayOutcome;
import io.scanorder.wechatsim.pay.PaySimulator;
import io.scanorder.wechatsim.pay.RefundCompletion;
import io.scanorder.wechatsim.pay.RefundStatus;
import io.scanorder.wechatsim.pay.VerificationMode;
import io.scanorder.wechatsim.pay.crypto.PayCrypto;
import io.scanorder.wechatsim.pay.crypto.PlatformIdentity;
import io.scanorder.wechatsim.pay.notify.DeliveryControls;
import io.scanorder.wechatsim.pay.notify.Forgery;
import io.scanorder.wechatsim.pay.notify.RetrySchedule;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Control endpoints for the WeChat Pay part, mirroring {@link PaySimulator} for local mode:
 *
 * <ul>
 *   <li>{@code GET /__sim/platform}: platform certificate (PEM, serial) and public key (PEM, id)
 *   <li>{@code POST /__sim/merchants} {@code {"mchid","appid","public_key_pem","serial_no",
 *       "api_v3_key","verification_mode"?}}; {@code POST /__sim/sub-merchants} {@code
 *       {"sp_mchid","sub_mchid"}}
 *   <li>{@code POST /__sim/pay/{out_trade_no}} {@code {"mchid","sub_mchid"?,"outcome"?}} plays the
 *       payer (outcome SUCCESS, PAYERROR or USERPAYING)
 *   <li>{@code POST /__sim/refunds/{out_refund_no}} {@code {"mchid","sub_mchid"?,"status"}} ends a
 *       refund
 *   <li>{@code POST /__sim/notifications} sets delivery controls: {@code drop_next_attempts,
 *       suppress_next, duplicate, delay_ms, hold, release (AS_CREATED|REVERSED), reset,
 *       retry_scale, refund_completion (AUTOMATIC|MANUAL)}
 *   <li>{@code POST /__sim/forged-notifications/{out_trade_no}} {@code
 *       {"mchid","sub_mchid"?,"forgery"}}
 *   <li>{@code GET /__sim/trades}, {@code /__sim/refunds}, {@code /__sim/deliveries}
 * </ul>
 */
public final class PayControlApi implements ApiModule {
    private static final String PREFIX = ControlApi.PREFIX;

    private final PaySimulator pay;

    public PayControlApi(PaySimulator pay) {
        this.pay = pay;
    }

    @Override
    public void register(Router router) {
        router.route(PREFIX + "/platform", this::platform);
        router.route(PREFIX + "/merchants", this::registerMerchant);
        router.route(PREFIX + "/sub-merchants", this::registerSubMerchant);
        router.routePrefix(PREFIX + "/pay/", this::pay);
        router.routePrefix(PREFIX + "/refunds/", this::completeRefund);
        router.route(PREFIX + "/notifications", this::notifications);
        router.routePrefix(PREFIX + "/forged-notifications/", this::forge);
        router.route(PREFIX + "/trades", r -> list(r, pay.trades()));
        router.route(PREFIX + "/refunds", r -> list(r, pay.refunds()));
        router.route(PREFIX + "/deliveries", r -> list(r, pay.deliveries()));
    }

    private SimResponse platform(SimRequest request) {
        requireMethod(request, "GET");
        PlatformIdentity platform = pay.platform();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("certificate_serial", platform.certificateSerial());
        body.put("certificate_pem", PayCrypto.toPem(platform.certificate()));
        body.put("public_key_id", platform.publicKeyId());
        body.put("public_key_pem", PayCrypto.toPem(platform.publicKey()));
        return SimResponse.json(200, body);
    }

    private SimResponse registerMerchant(SimRequest request) {
        requireMethod(request, "POST");
        JsonNode body = jsonObject(request);
        try {
            Merchant merchant =
                    new Merchant(
                            requiredText(body, "mchid"),
                            requiredText(body, "appid"),
                            PayCrypto.publicKeyFromPem(requiredText(body, "public_key_pem")),
                            requiredText(body, "serial_no"),
                            requiredText(body, "api_v3_key"),
                            optionalEnum(body, "verification_mode", VerificationMode.class)
                                    .orElse(VerificationMode.PLATFORM_CERTIFICATE));
            pay.registerMerchant(merchant);
            return SimResponse.json(200, Map.of("mchid", merchant.mchid()));
        } catch (IllegalArgumentException e) {
            throw new ControlApiException(400, e.getMessage());
        }
    }

    private SimResponse registerSubMerchant(SimRequest request) {
        requireMethod(request, "POST");
        JsonNode body = jsonObject(request);
        String sp = requiredText(body, "sp_mchid");
        String sub = requiredText(body, "sub_mchid");
        try {
            pay.registerSubMerchant(sp, sub);
        } catch (IllegalArgumentException e) {
            throw new ControlApiException(404, e.getMessage());
        }
        return SimResponse.json(200, Map.of("sp_mchid", sp, "sub_mchid", sub));
    }

    private SimResponse pay(SimRequest request) {
        requireMethod(request, "POST");
        String outTradeNo = request.path().substring((PREFIX + "/pay/").length());
        JsonNode body = jsonObject(request);
        PayOutcome outcome =
                optionalEnum(body, "outcome", PayOutcome.class).orElse(PayOutcome.SUCCESS);
        try {
            return SimResponse.json(
                    200,
                    pay.pay(
                            requiredText(body, "mchid"),
                            optionalText(body, "sub_mchid").orElse(null),
                            outTradeNo,
                            outcome));
        } catch (IllegalArgumentException e) {
            throw new ControlApiException(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ControlApiException(409, e.getMessage());
        }
    }

    private SimResponse completeRefund(SimRequest request) {
        requireMethod(request, "POST");
        String outRefundNo = request.path().substring((PREFIX + "/refunds/").length());
        JsonNode body = jsonObject(request);
        RefundStatus status =
                optionalEnum(body, "status", RefundStatus.class)
                        .orElseThrow(
                                () -> new ControlApiException(400, "field 'status' is required"));
        try {
            return SimResponse.json(
                    200,
                    pay.completeRefund(
                            requiredText(body, "mchid"),
                            optionalText(body, "sub_mchid").orElse(null),
                            outRefundNo,
                            status));
        } catch (IllegalArgumentException e) {
            throw new ControlApiException(404, e.getMessage());
        } catch (IllegalStateException e) {
            throw new ControlApiException(409, e.getMessage());
        }
    }

    private SimResponse notifications(SimRequest request) {
        requireMethod(request, "POST");
        JsonNode body = jsonObject(request);
        DeliveryControls controls = pay.notifications();
        try {
            if (body.path("reset").asBoolean(false)) {
                controls.reset();
            }
            optionalInt(body, "drop_next_attempts").ifPresent(controls::dropNextAttempts);
            optionalInt(body, "suppress_next").ifPresent(controls::suppressNext);
            optionalInt(body, "duplicate").ifPresent(controls::duplicate);
            optionalInt(body, "delay_ms").ifPresent(ms -> controls.delay(Duration.ofMillis(ms)));
            if (body.path("hold").asBoolean(false)) {
                controls.hold();
            }
            optionalEnum(body, "release", DeliveryControls.ReleaseOrder.class)
                    .ifPresent(controls::release);
            JsonNode scale = body.get("retry_scale");
            if (scale != null && !scale.isNull()) {
                if (!scale.isNumber()) {
                    throw new ControlApiException(400, "field 'retry_scale' must be a number");
                }
                pay.retrySchedule(RetrySchedule.wechat().scaled(scale.asDouble()));
            }
            optionalEnum(body, "refund_completion", RefundCompletion.class)
                    .ifPresent(pay::refundCompletion);
        } catch (IllegalArgumentException e) {
            throw new ControlApiException(400, e.getMessage());
        }
        return SimResponse.json(200, Map.of("held", controls.heldCount()));
    }

    private SimResponse forge(SimRequest request) {
        requireMethod(request, "POST");
        String outTradeNo = request.path().substring((PREFIX + "/forged-notifications/").length());
        JsonNode body = jsonObject(request);
        Forgery forgery =
                optionalEnum(body, "forgery", Forgery.class)
                        .orElseThrow(
                                () -> new ControlApiException(400, "field 'forgery' is required"));
        try {
            int status =
                    pay.sendForgedNotification(
                            requiredText(body, "mchid"),
                            optionalText(body, "sub_mchid").orElse(null),
                            outTradeNo,
                            forgery);
            return SimResponse.json(200, Map.of("receiver_status", status));
        } catch (IllegalArgumentException e) {
            throw new ControlApiException(404, e.getMessage());
        }
    }

    private static SimResponse list(SimRequest request, Object items) {
        requireMethod(request, "GET");
        return SimResponse.json(200, items);
    }
}
