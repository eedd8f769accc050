package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** A dish or drink of a {@link Menu} (an SPU), sold as one or more {@link Sku}s. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MenuItem {
    @Required
    @Pattern("^[A-Z0-9][A-Z0-9-]{0,31}$")
    @JsonPropertyDescription("Stable SPU code of the item, e.g. HOT-001.")
    private String spuCode;

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Display name of the item.")
    private String name;

    @Required
    @JsonPropertyDescription("Code of the category the item is listed under.")
    private String category;

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Kitchen station that prepares the item; a Store's stations[].name.")
    private String station;

    @Min(0)
    @Max(240)
    @Default("10")
    @JsonPropertyDescription("Typical preparation time in minutes, shown to diners.")
    private Integer prepMinutes;

    @Size(max = 14)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b == a))",
            message = "allergens must not repeat")
    @JsonPropertyDescription("Major allergens the item contains.")
    private List<Allergen> allergens;

    @Pattern("^https://.+$")
    @JsonPropertyDescription("HTTPS URL of the item's photo.")
    private String imageUrl;

    @Size(max = 7)
    @JsonPropertyDescription("When the item can be ordered; always, when empty.")
    private List<AvailabilityWindow> availability;

    @Default("false")
    @JsonPropertyDescription("True while the kitchen has run out; diners see it but cannot order.")
    private Boolean soldOut;

    @Required
    @Size(min = 1, max = 6)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b.skuCode == a.skuCode))",
            message = "skuCodes must be unique within an item")
    @JsonPropertyDescription("Variants of the item with their prices, e.g. small and large.")
    private List<Sku> skus = new ArrayList<>();

    public String getSpuCode() {
        return spuCode;
    }

    public void setSpuCode(String spuCode) {
        this.spuCode = spuCode;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getCategory() {
        return category;
    }

    public void setCategory(String category) {
        this.category = category;
    }

    public String getStation() {
        return station;
    }

    public void setStation(String station) {
        this.station = station;
    }

    public Integer getPrepMinutes() {
        return prepMinutes;
    }

    public void setPrepMinutes(Integer prepMinutes) {
        this.prepMinutes = prepMinutes;
    }

    public List<Allergen> getAllergens() {
        return allergens;
    }

    public void setAllergens(List<Allergen> allergens) {
        this.allergens = allergens;
    }

    public String getImageUrl() {
        return imageUrl;
    }

    public void setImageUrl(String imageUrl) {
        this.imageUrl = imageUrl;
    }

    public List<AvailabilityWindow> getAvailability() {
        return availability;
    }

    public void setAvailability(List<AvailabilityWindow> availability) {
        this.availability = availability;
    }

    public Boolean getSoldOut() {
        return soldOut;
    }

    public void setSoldOut(Boolean soldOut) {
        this.soldOut = soldOut;
    }

    public List<Sku> getSkus() {
        return skus;
    }

    public void setSkus(List<Sku> skus) {
        this.skus = skus;
    }
}
