package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a device receives a station's tickets first or only when the primary fails. */
public enum DeviceRole {
    @JsonProperty("primary")
    PRIMARY,
    @JsonProperty("backup")
    BACKUP
}
