package io.scanorder.payment.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import io.scanorder.payment.PaymentException;
import io.scanorder.payment.PaymentException.Reason;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WeChatErrorsTest {
    private static final String BASE = "https://api.mch.weixin.qq.com";

    @ParameterizedTest
    @CsvSource({
        "400,ORDERPAID,FAILED_PRECONDITION",
        "400,ORDER_CLOSED,FAILED_PRECONDITION",
        "404,ORDER_NOT_EXIST,NOT_FOUND",
        "404,RESOURCE_NOT_EXISTS,NOT_FOUND",
        "400,PARAM_ERROR,INVALID_ARGUMENT",
        "400,INVALID_REQUEST,INVALID_ARGUMENT",
        "401,SIGN_ERROR,FAILED_PRECONDITION",
        "403,NO_AUTH,FAILED_PRECONDITION",
        "403,NOT_ENOUGH,FAILED_PRECONDITION",
        "429,FREQUENCY_LIMITED,RESOURCE_EXHAUSTED",
        "500,SYSTEM_ERROR,UNAVAILABLE",
        "503,SOMETHING_NEW,UNAVAILABLE",
        "404,SOMETHING_NEW,NOT_FOUND",
        "400,SOMETHING_NEW,INVALID_ARGUMENT"
    })
    void serviceErrorsMapByWeChatCodeThenHttpStatus(int status, String code, Reason reason) {
        ServiceException e =
                new ServiceException(
                        null, status, "{\"code\":\"" + code + "\",\"message\":\"msg\"}");

        PaymentException mapped = WeChatErrors.translate("prepay out_trade_no=A1B2_1", e, BASE);

        assertThat(mapped.reason()).isEqualTo(reason);
        assertThat(mapped.getMessage())
                .startsWith("prepay out_trade_no=A1B2_1: WeChat Pay answered HTTP " + status)
                .contains(code)
                .contains("'msg'");
    }

    @Test
    void connectionFailuresAreUnavailableAndSayWhereAndThatRetryingIsSafe() {
        HttpException e =
                new HttpException("Send Http Request failed", new ConnectException("refused"));

        PaymentException mapped = WeChatErrors.translate("close out_trade_no=A1B2_1", e, BASE);

        assertThat(mapped.reason()).isEqualTo(Reason.UNAVAILABLE);
        assertThat(mapped.getMessage())
                .contains("cannot reach WeChat Pay at " + BASE)
                .contains("ConnectException: refused")
                .contains("retrying the same request is safe");
    }

    @Test
    void unreadableOrUnverifiableAnswersAreNamed() {
        assertThat(
                        WeChatErrors.translate(
                                        "query", new MalformedMessageException("bad json"), BASE)
                                .reason())
                .isEqualTo(Reason.UNAVAILABLE);
        PaymentException unverified =
                WeChatErrors.translate("query", new ValidationException("sig"), BASE);
        assertThat(unverified.reason()).isEqualTo(Reason.FAILED_PRECONDITION);
        assertThat(unverified.getMessage()).contains("API v3 key");
    }
}
