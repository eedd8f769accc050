package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A kitchen station of a {@link Store}; tickets are split by station. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Station {
    @Required
    @Size(max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Lowercase DNS-label name of the station, e.g. hot, cold, bar.")
    private String name;

    @Size(max = 64)
    @JsonPropertyDescription("Name printed on ticket headers, e.g. 热菜 Hot kitchen.")
    private String displayName;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }
}
