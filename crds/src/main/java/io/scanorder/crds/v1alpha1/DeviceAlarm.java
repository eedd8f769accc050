package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** An alarm currently active on a {@link KitchenDevice}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeviceAlarm {
    @Required
    @JsonPropertyDescription("PAPER_OUT, PAPER_LOW, COVER_OPEN or PRINTER_UNREACHABLE.")
    private AlarmCode code;

    @Required
    @JsonPropertyDescription("RFC 3339 time the alarm was raised.")
    private String since;

    @JsonPropertyDescription("Detail reported by the agent.")
    private String message;

    public AlarmCode getCode() {
        return code;
    }

    public void setCode(AlarmCode code) {
        this.code = code;
    }

    public String getSince() {
        return since;
    }

    public void setSince(String since) {
        this.since = since;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }
}
