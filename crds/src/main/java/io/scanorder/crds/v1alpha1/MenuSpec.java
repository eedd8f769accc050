package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Desired state of a {@link Menu}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.items.all(i, self.categories.exists(c, c.code == i.category))",
        message = "every items[].category must name one of categories[].code",
        fieldPath = ".items")
@ValidationRule(
        value =
                "!has(self.combos) || self.combos.all(c, c.components.all(k,"
                        + " self.items.exists(i, i.skus.exists(s, s.skuCode == k.skuCode))))",
        message = "every combos[].components[].skuCode must name a SKU of an item",
        fieldPath = ".combos")
public class MenuSpec {
    @Required
    @Size(min = 1, max = 50)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b.code == a.code))",
            message = "category codes must be unique")
    @JsonPropertyDescription("Categories in display order; every item belongs to one.")
    private List<MenuCategory> categories = new ArrayList<>();

    @Required
    @Size(min = 1, max = 300)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b.spuCode == a.spuCode))",
            message = "item spuCodes must be unique")
    @JsonPropertyDescription("Dishes and drinks (SPUs); each has one or more SKUs.")
    private List<MenuItem> items = new ArrayList<>();

    @Size(max = 50)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b.code == a.code))",
            message = "combo codes must be unique")
    @JsonPropertyDescription("Set meals sold at one price, made of SKUs of the items above.")
    private List<Combo> combos;

    public List<MenuCategory> getCategories() {
        return categories;
    }

    public void setCategories(List<MenuCategory> categories) {
        this.categories = categories;
    }

    public List<MenuItem> getItems() {
        return items;
    }

    public void setItems(List<MenuItem> items) {
        this.items = items;
    }

    public List<Combo> getCombos() {
        return combos;
    }

    public void setCombos(List<Combo> combos) {
        this.combos = combos;
    }
}
