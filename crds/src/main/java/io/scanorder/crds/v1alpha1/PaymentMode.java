package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether the store is its own WeChat Pay merchant or a sub-merchant of a service provider. */
public enum PaymentMode {
    /** The store's own merchant account. */
    @JsonProperty("direct")
    DIRECT,
    /** A sub-merchant ({@code subMchId}) under a service provider's account. */
    @JsonProperty("service-provider")
    SERVICE_PROVIDER
}
