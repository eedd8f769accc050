package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A sellable variant of a {@link MenuItem}, with its price. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Sku {
    @Required
    @Pattern("^[A-Z0-9][A-Z0-9-]{0,31}$")
    @JsonPropertyDescription("Stable SKU code, unique within the menu, e.g. HOT-001-L.")
    private String skuCode;

    @Size(max = 32)
    @JsonPropertyDescription("Specification shown to diners, e.g. large or 500ml.")
    private String spec;

    @Required
    @Min(0)
    @Max(100000000)
    @JsonPropertyDescription("Price in fen (1/100 yuan).")
    private Long priceFen;

    @Min(0)
    @Max(100000000)
    @JsonPropertyDescription("Ingredient cost in fen, for margin reports; never shown to diners.")
    private Long costFen;

    public String getSkuCode() {
        return skuCode;
    }

    public void setSkuCode(String skuCode) {
        this.skuCode = skuCode;
    }

    public String getSpec() {
        return spec;
    }

    public void setSpec(String spec) {
        this.spec = spec;
    }

    public Long getPriceFen() {
        return priceFen;
    }

    public void setPriceFen(Long priceFen) {
        this.priceFen = priceFen;
    }

    public Long getCostFen() {
        return costFen;
    }

    public void setCostFen(Long costFen) {
        this.costFen = costFen;
    }
}
