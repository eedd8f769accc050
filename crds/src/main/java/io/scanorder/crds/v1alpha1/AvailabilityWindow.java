package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/**
 * Days and local times (store time zone) when a {@link MenuItem} can be ordered. A window whose
 * {@code to} is earlier than {@code from} runs past midnight.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self.from != self.to", message = "from and to must differ")
public class AvailabilityWindow {
    @Required
    @Size(min = 1, max = 7)
    @JsonPropertyDescription("Days the window applies to: Mon, Tue, Wed, Thu, Fri, Sat, Sun.")
    private List<Weekday> days = new ArrayList<>();

    @Required
    @Pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")
    @JsonPropertyDescription("Start time, HH:mm in the store's time zone.")
    private String from;

    @Required
    @Pattern("^([01][0-9]|2[0-3]):[0-5][0-9]$")
    @JsonPropertyDescription("End time (exclusive), HH:mm in the store's time zone.")
    private String to;

    public List<Weekday> getDays() {
        return days;
    }

    public void setDays(List<Weekday> days) {
        this.days = days;
    }

    public String getFrom() {
        return from;
    }

    public void setFrom(String from) {
        this.from = from;
    }

    public String getTo() {
        return to;
    }

    public void setTo(String to) {
        this.to = to;
    }
}
