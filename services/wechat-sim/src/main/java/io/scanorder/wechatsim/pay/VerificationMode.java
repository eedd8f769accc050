package io.scanorder.wechatsim.pay;

/**
 * How a merchant verifies what WeChat Pay signs, which decides the id in the {@code
 * Wechatpay-Serial} header of responses and notifications.
 */
public enum VerificationMode {
    /**
     * Platform certificates downloaded from {@code GET /v3/certificates} (wechatpay-java's {@code
     * RSAAutoCertificateConfig}); the header carries the certificate serial number.
     */
    PLATFORM_CERTIFICATE,
    /**
     * The WeChat Pay public key (wechatpay-java's {@code RSAPublicKeyConfig}); the header carries
     * its {@code PUB_KEY_ID_...} id.
     */
    PUBLIC_KEY
}
