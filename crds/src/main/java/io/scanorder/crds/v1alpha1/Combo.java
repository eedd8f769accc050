package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

/** A set meal of a {@link Menu}: several SKUs sold together at one price. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Combo {
    @Required
    @Pattern("^[A-Z0-9][A-Z0-9-]{0,31}$")
    @JsonPropertyDescription("Stable combo code, e.g. SET-LUNCH-1.")
    private String code;

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Display name of the combo.")
    private String name;

    @Required
    @Size(min = 2, max = 10)
    @JsonPropertyDescription("SKUs in the combo; each ticket line goes to the SKU's station.")
    private List<ComboComponent> components = new ArrayList<>();

    @Required
    @Min(0)
    @Max(100000000)
    @JsonPropertyDescription("Price of the whole combo in fen (1/100 yuan).")
    private Long priceFen;

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

    public List<ComboComponent> getComponents() {
        return components;
    }

    public void setComponents(List<ComboComponent> components) {
        this.components = components;
    }

    public Long getPriceFen() {
        return priceFen;
    }

    public void setPriceFen(Long priceFen) {
        this.priceFen = priceFen;
    }
}
