package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Observed state of a {@link Store}, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreStatus {
    @JsonPropertyDescription("metadata.generation of the spec this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription(
            "Ready, ConfigReady, OrderServiceReady, PaymentServiceReady, MenuPublished,"
                    + " DevicesHealthy.")
    private List<Condition> conditions = new ArrayList<>();

    @JsonPropertyDescription("In-cluster addresses of the store's services, by service name.")
    private Map<String, String> endpoints;

    @JsonPropertyDescription("Number of tables over all areas.")
    private Integer tableCount;

    @JsonPropertyDescription("Kitchen devices of this store currently online.")
    private Integer devicesOnline;

    @JsonPropertyDescription("Kitchen devices referencing this store.")
    private Integer devicesTotal;

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Map<String, String> getEndpoints() {
        return endpoints;
    }

    public void setEndpoints(Map<String, String> endpoints) {
        this.endpoints = endpoints;
    }

    public Integer getTableCount() {
        return tableCount;
    }

    public void setTableCount(Integer tableCount) {
        this.tableCount = tableCount;
    }

    public Integer getDevicesOnline() {
        return devicesOnline;
    }

    public void setDevicesOnline(Integer devicesOnline) {
        this.devicesOnline = devicesOnline;
    }

    public Integer getDevicesTotal() {
        return devicesTotal;
    }

    public void setDevicesTotal(Integer devicesTotal) {
        this.devicesTotal = devicesTotal;
    }
}
