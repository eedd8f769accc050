package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A section of a {@link Menu}, e.g. cold dishes or drinks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MenuCategory {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @Size(max = 32)
    @JsonPropertyDescription("Stable code of the category that items refer to.")
    private String code;

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Display name of the category.")
    private String name;

    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }
}
