package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The 14 major food allergens that must be declared to diners. */
public enum Allergen {
    @JsonProperty("gluten")
    GLUTEN,
    @JsonProperty("crustaceans")
    CRUSTACEANS,
    @JsonProperty("eggs")
    EGGS,
    @JsonProperty("fish")
    FISH,
    @JsonProperty("peanuts")
    PEANUTS,
    @JsonProperty("soybeans")
    SOYBEANS,
    @JsonProperty("milk")
    MILK,
    @JsonProperty("tree-nuts")
    TREE_NUTS,
    @JsonProperty("celery")
    CELERY,
    @JsonProperty("mustard")
    MUSTARD,
    @JsonProperty("sesame")
    SESAME,
    @JsonProperty("sulphites")
    SULPHITES,
    @JsonProperty("lupin")
    LUPIN,
    @JsonProperty("molluscs")
    MOLLUSCS
}
