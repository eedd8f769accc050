package io.scanorder.payment.wechat;

import com.wechat.pay.java.core.exception.DecryptionException;
import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.PaymentException.Reason;

/**
 * Turns wechatpay-java's exceptions into {@link PaymentException}s with a reason and a message that
 * says what WeChat Pay answered and what to do. Messages carry WeChat's error code and message
 * only: never the SDK's request dump (it holds the Authorization header) nor any key.
 */
public final class WeChatErrors {
    private WeChatErrors() {}

    /**
     * @param operation what was attempted, e.g. "prepay out_trade_no=A1B2_1"
     * @param baseUrl where WeChat Pay was called, for connection errors
     */
    public static PaymentException translate(String operation, RuntimeException e, String baseUrl) {
        if (e instanceof ServiceException s) {
            return service(operation, s);
        }
        if (e instanceof HttpException) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new PaymentException(
                    Reason.UNAVAILABLE,
                    operation
                            + ": cannot reach WeChat Pay at "
                            + baseUrl
                            + " ("
                            + cause.getClass().getSimpleName()
                            + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                            + "); retrying the same request is safe",
                    e);
        }
        if (e instanceof MalformedMessageException) {
            return new PaymentException(
                    Reason.UNAVAILABLE,
                    operation
                            + ": WeChat Pay's answer could not be read ("
                            + e.getMessage()
                            + "); retrying the same request is safe",
                    e);
        }
        if (e instanceof ValidationException || e instanceof DecryptionException) {
            return new PaymentException(
                    Reason.FAILED_PRECONDITION,
                    operation
                            + ": WeChat Pay's answer failed signature verification or"
                            + " decryption; check the merchant's API v3 key and the platform"
                            + " certificates (scanorder.payment.merchant.*)",
                    e);
        }
        if (e instanceof PaymentException p) {
            return p;
        }
        return new PaymentException(
                Reason.INTERNAL, operation + ": unexpected error " + e.getClass().getName(), e);
    }

    private static PaymentException service(String operation, ServiceException e) {
        String code = e.getErrorCode() == null ? "" : e.getErrorCode();
        String said =
                operation
                        + ": WeChat Pay answered HTTP "
                        + e.getHttpStatusCode()
                        + " "
                        + (code.isEmpty() ? "(no code)" : code)
                        + (e.getErrorMessage() == null ? "" : " '" + e.getErrorMessage() + "'");
        return switch (code) {
            case "ORDERPAID" ->
                    new PaymentException(
                            Reason.FAILED_PRECONDITION,
                            said + ": the order is already paid; refund it instead",
                            e);
            case "ORDER_CLOSED" ->
                    new PaymentException(
                            Reason.FAILED_PRECONDITION,
                            said + ": the trade is closed; pay again with the next attempt number",
                            e);
            case "ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS" ->
                    new PaymentException(Reason.NOT_FOUND, said, e);
            case "PARAM_ERROR", "INVALID_REQUEST", "OUT_TRADE_NO_USED" ->
                    new PaymentException(Reason.INVALID_ARGUMENT, said, e);
            case "NOT_ENOUGH", "USER_ACCOUNT_ABNORMAL" ->
                    new PaymentException(Reason.FAILED_PRECONDITION, said, e);
            case "SIGN_ERROR", "NO_AUTH", "APPID_MCHID_NOT_MATCH", "MCH_NOT_EXISTS" ->
                    new PaymentException(
                            Reason.FAILED_PRECONDITION,
                            said
                                    + ": WeChat Pay refused the merchant's credentials; check"
                                    + " scanorder.payment.merchant.* (mch-id, app-id,"
                                    + " merchant-serial-number, private key) against the"
                                    + " merchant platform",
                            e);
            case "FREQUENCY_LIMITED", "RATELIMIT_EXCEEDED" ->
                    new PaymentException(
                            Reason.RESOURCE_EXHAUSTED, said + ": slow down and retry", e);
            case "SYSTEM_ERROR", "SYSTEMERROR", "BANKERROR" ->
                    new PaymentException(
                            Reason.UNAVAILABLE,
                            said + ": WeChat Pay is unwell; retrying the same request is safe",
                            e);
            default -> byStatus(said, e);
        };
    }

    private static PaymentException byStatus(String said, ServiceException e) {
        int status = e.getHttpStatusCode();
        Reason reason;
        if (status == 404) {
            reason = Reason.NOT_FOUND;
        } else if (status == 401 || status == 403) {
            reason = Reason.FAILED_PRECONDITION;
        } else if (status == 429) {
            reason = Reason.RESOURCE_EXHAUSTED;
        } else if (status >= 500) {
            reason = Reason.UNAVAILABLE;
        } else {
            reason = Reason.INVALID_ARGUMENT;
        }
        return new PaymentException(reason, said, e);
    }
}
