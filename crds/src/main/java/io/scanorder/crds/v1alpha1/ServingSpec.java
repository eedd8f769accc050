package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Sizing of the order service of a {@link Store}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ServingSpec {
    @Min(1)
    @Max(20)
    @Default("2")
    @JsonPropertyDescription("Minimum number of order-service replicas.")
    private Integer replicas;

    @JsonPropertyDescription("CPU and memory requests and limits of each order-service pod.")
    private ResourceRequirements resources;

    @Min(1)
    @Max(10000)
    @JsonPropertyDescription(
            "Expected orders per second at the busiest hour; the autoscaler is sized from it.")
    private Integer peakOrdersPerSecond;

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Integer getPeakOrdersPerSecond() {
        return peakOrdersPerSecond;
    }

    public void setPeakOrdersPerSecond(Integer peakOrdersPerSecond) {
        this.peakOrdersPerSecond = peakOrdersPerSecond;
    }
}
