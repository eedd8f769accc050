package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Options of a {@link KitchenDevice} of type printer. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PrinterOptions {
    @Default("80")
    @ValidationRule(value = "self == 58 || self == 80", message = "paperWidthMm must be 58 or 80")
    @JsonPropertyDescription("Paper roll width in millimetres: 58 or 80.")
    private Integer paperWidthMm;

    @Min(1)
    @Max(5)
    @Default("1")
    @JsonPropertyDescription("Copies printed of each ticket.")
    private Integer copies;

    @Default("true")
    @JsonPropertyDescription("Whether the printer has an auto-cutter to cut after each ticket.")
    private Boolean cutter;

    public Integer getPaperWidthMm() {
        return paperWidthMm;
    }

    public void setPaperWidthMm(Integer paperWidthMm) {
        this.paperWidthMm = paperWidthMm;
    }

    public Integer getCopies() {
        return copies;
    }

    public void setCopies(Integer copies) {
        this.copies = copies;
    }

    public Boolean getCutter() {
        return cutter;
    }

    public void setCutter(Boolean cutter) {
        this.cutter = cutter;
    }
}
