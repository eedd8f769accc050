package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;

/** One SKU of a {@link Combo} and how many of it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ComboComponent {
    @Required
    @JsonPropertyDescription("Code of a SKU of one of the menu's items.")
    private String skuCode;

    @Min(1)
    @Max(20)
    @Default("1")
    @JsonPropertyDescription("How many of the SKU the combo contains.")
    private Integer quantity;

    public String getSkuCode() {
        return skuCode;
    }

    public void setSkuCode(String skuCode) {
        this.skuCode = skuCode;
    }

    public Integer getQuantity() {
        return quantity;
    }

    public void setQuantity(Integer quantity) {
        this.quantity = quantity;
    }
}
