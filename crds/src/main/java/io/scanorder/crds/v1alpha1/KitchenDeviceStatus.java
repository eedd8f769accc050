package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a {@link KitchenDevice}, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KitchenDeviceStatus {
    @JsonPropertyDescription("metadata.generation of the spec this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("Pending, Provisioned, Online, Degraded or Offline.")
    private DevicePhase phase;

    @JsonPropertyDescription("RFC 3339 time of the last heartbeat received.")
    private String lastHeartbeat;

    @JsonPropertyDescription("Paper level of a printer: OK, LOW, OUT or UNKNOWN.")
    private PaperState paper;

    @JsonPropertyDescription("Alarms active now, each with the time it was raised.")
    private List<DeviceAlarm> alarms;

    @JsonPropertyDescription("Version of the device agent, from its heartbeat.")
    private String agentVersion;

    @JsonPropertyDescription("Name of the Secret holding the device's MQTT credentials.")
    private String credentialsSecret;

    @JsonPropertyDescription("Ready and the conditions behind the phase.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public DevicePhase getPhase() {
        return phase;
    }

    public void setPhase(DevicePhase phase) {
        this.phase = phase;
    }

    public String getLastHeartbeat() {
        return lastHeartbeat;
    }

    public void setLastHeartbeat(String lastHeartbeat) {
        this.lastHeartbeat = lastHeartbeat;
    }

    public PaperState getPaper() {
        return paper;
    }

    public void setPaper(PaperState paper) {
        this.paper = paper;
    }

    public List<DeviceAlarm> getAlarms() {
        return alarms;
    }

    public void setAlarms(List<DeviceAlarm> alarms) {
        this.alarms = alarms;
    }

    public String getAgentVersion() {
        return agentVersion;
    }

    public void setAgentVersion(String agentVersion) {
        this.agentVersion = agentVersion;
    }

    public String getCredentialsSecret() {
        return credentialsSecret;
    }

    public void setCredentialsSecret(String credentialsSecret) {
        this.credentialsSecret = credentialsSecret;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
