package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** What kind of kitchen device a {@link KitchenDevice} is. */
public enum DeviceType {
    /** ESC/POS receipt printer reached over TCP 9100 by the device agent. */
    @JsonProperty("printer")
    PRINTER,
    /** Kitchen display tablet showing tickets to bump. */
    @JsonProperty("kds-tablet")
    KDS_TABLET,
    /** LED board showing pickup numbers. */
    @JsonProperty("led-board")
    LED_BOARD
}
