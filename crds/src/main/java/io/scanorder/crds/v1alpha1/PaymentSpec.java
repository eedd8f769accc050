package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** Payment settings of a {@link Store}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.mode != 'service-provider' || has(self.subMchId)",
        message = "payment.subMchId is required when payment.mode is service-provider",
        fieldPath = ".subMchId")
@ValidationRule(
        value = "self.mode != 'direct' || !has(self.subMchId)",
        message = "payment.subMchId is only allowed when payment.mode is service-provider",
        fieldPath = ".subMchId")
public class PaymentSpec {
    @Required
    @JsonPropertyDescription("direct: the store is the merchant; service-provider: a sub-merchant.")
    private PaymentMode mode;

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription(
            "Name of the Secret holding the merchant id, API v3 key and signing key; only the"
                    + " payment service reads it.")
    private String merchantSecretRef;

    @Pattern("^[0-9]{8,16}$")
    @JsonPropertyDescription("WeChat Pay sub-merchant id; required in service-provider mode.")
    private String subMchId;

    @Default("15m")
    @Pattern("^([0-9]+h)?([0-9]+m)?([0-9]+s)?$")
    @JsonPropertyDescription(
            "How long an unpaid order waits before it is closed, as a duration like 15m or 1h30m.")
    private String orderTimeout;

    @Min(1)
    @Max(100000000)
    @JsonPropertyDescription(
            "Largest amount one order may total, in fen (1/100 yuan); larger orders are refused.")
    private Long maxOrderAmountFen;

    @Min(1)
    @Max(99)
    @Default("1")
    @JsonPropertyDescription(
            "Generation of the key payment data is encrypted with. Raise it by one to rotate: the"
                    + " operator adds key k<generation> to the <store>-payment-data Secret and the"
                    + " payment service encrypts new values with it, reading old rows with the"
                    + " older keys, which are kept. Never lower it.")
    private Integer dataKeyGeneration;

    public PaymentMode getMode() {
        return mode;
    }

    public void setMode(PaymentMode mode) {
        this.mode = mode;
    }

    public String getMerchantSecretRef() {
        return merchantSecretRef;
    }

    public void setMerchantSecretRef(String merchantSecretRef) {
        this.merchantSecretRef = merchantSecretRef;
    }

    public String getSubMchId() {
        return subMchId;
    }

    public void setSubMchId(String subMchId) {
        this.subMchId = subMchId;
    }

    public String getOrderTimeout() {
        return orderTimeout;
    }

    public void setOrderTimeout(String orderTimeout) {
        this.orderTimeout = orderTimeout;
    }

    public Long getMaxOrderAmountFen() {
        return maxOrderAmountFen;
    }

    public void setMaxOrderAmountFen(Long maxOrderAmountFen) {
        this.maxOrderAmountFen = maxOrderAmountFen;
    }

    public Integer getDataKeyGeneration() {
        return dataKeyGeneration;
    }

    public void setDataKeyGeneration(Integer dataKeyGeneration) {
        this.dataKeyGeneration = dataKeyGeneration;
    }
}
