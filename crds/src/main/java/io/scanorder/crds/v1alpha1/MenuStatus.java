package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Observed state of a {@link Menu}, written only by the operator. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MenuStatus {
    @JsonPropertyDescription("metadata.generation of the spec this status was computed from.")
    private Long observedGeneration;

    @JsonPropertyDescription("Hash of the published spec; publishing is idempotent by this hash.")
    private String revisionHash;

    @JsonPropertyDescription("Number of items in the menu.")
    private Integer itemCount;

    @JsonPropertyDescription(
            "Valid and Published; when invalid, the message names the first invalid field.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getRevisionHash() {
        return revisionHash;
    }

    public void setRevisionHash(String revisionHash) {
        this.revisionHash = revisionHash;
    }

    public Integer getItemCount() {
        return itemCount;
    }

    public void setItemCount(Integer itemCount) {
        this.itemCount = itemCount;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }
}
