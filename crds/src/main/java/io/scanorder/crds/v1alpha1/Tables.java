package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/** Tables of an {@link Area}: either {@code count} (numbered 1..count) or explicit numbers. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "has(self.count) != has(self.numbers)",
        message = "set exactly one of tables.count or tables.numbers")
public class Tables {
    @Min(1)
    @Max(9999)
    @JsonPropertyDescription("Number of tables, numbered 1..count.")
    private Integer count;

    @Size(min = 1, max = 9999)
    @ValidationRule(
            value = "self.all(n, n >= 1 && n <= 9999 && self.exists_one(m, m == n))",
            message = "table numbers must be unique and within 1..9999")
    @JsonPropertyDescription("Explicit table numbers (1..9999), for areas with gaps in numbering.")
    private List<Integer> numbers;

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }

    public List<Integer> getNumbers() {
        return numbers;
    }

    public void setNumbers(List<Integer> numbers) {
        this.numbers = numbers;
    }
}
