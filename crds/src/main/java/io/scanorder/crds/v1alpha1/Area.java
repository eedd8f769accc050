package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A dining area of a {@link Store} with its tables. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Area {
    @Required
    @Pattern("^[0-9]{4}$")
    @JsonPropertyDescription("Four-digit area code, the second part of every table code.")
    private String code;

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Display name of the area, e.g. Main hall.")
    private String name;

    @Required
    @JsonPropertyDescription("The tables of this area: a count or an explicit list of numbers.")
    private Tables tables;

    @Min(1)
    @Max(50)
    @Default("4")
    @JsonPropertyDescription("Seats per table, used for capacity planning.")
    private Integer seats;

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

    public Tables getTables() {
        return tables;
    }

    public void setTables(Tables tables) {
        this.tables = tables;
    }

    public Integer getSeats() {
        return seats;
    }

    public void setSeats(Integer seats) {
        this.seats = seats;
    }
}
