package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Day of the week in an {@link AvailabilityWindow}. */
public enum Weekday {
    @JsonProperty("Mon")
    MONDAY,
    @JsonProperty("Tue")
    TUESDAY,
    @JsonProperty("Wed")
    WEDNESDAY,
    @JsonProperty("Thu")
    THURSDAY,
    @JsonProperty("Fri")
    FRIDAY,
    @JsonProperty("Sat")
    SATURDAY,
    @JsonProperty("Sun")
    SUNDAY
}
