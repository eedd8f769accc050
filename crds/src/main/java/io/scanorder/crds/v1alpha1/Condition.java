package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/**
 * One observation about a resource, shared by every ScanOrder status. {@code lastTransitionTime}
 * moves only when {@code status} or {@code message} really changes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    @Required
    @Pattern("^[A-Z][A-Za-z]*$")
    @JsonPropertyDescription("Type of the condition, e.g. Ready, OrderServiceReady, Valid.")
    private String type;

    @Required
    @JsonPropertyDescription("True, False or Unknown.")
    private ConditionStatus status;

    @JsonPropertyDescription("Machine-readable CamelCase reason for the last transition.")
    private String reason;

    @JsonPropertyDescription(
            "Human-readable detail; names the field path when the spec is invalid.")
    private String message;

    @JsonPropertyDescription("RFC 3339 time when status or message last changed.")
    private String lastTransitionTime;

    @JsonPropertyDescription(
            "metadata.generation of the resource this condition was computed from.")
    private Long observedGeneration;

    /** Creates an empty condition (for Jackson). */
    public Condition() {}

    /** Creates a condition with the given type, status, reason and message. */
    public Condition(String type, ConditionStatus status, String reason, String message) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public ConditionStatus getStatus() {
        return status;
    }

    public void setStatus(ConditionStatus status) {
        this.status = status;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }
}
