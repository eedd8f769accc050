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

/** Desired state of a {@link KitchenDevice}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
        value = "self.type == 'printer' ? has(self.printer) : !has(self.printer)",
        message = "printer options are required for type printer and not allowed for other types",
        fieldPath = ".printer")
public class KitchenDeviceSpec {
    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Store in the same namespace the device belongs to.")
    private String storeRef;

    @Required
    @JsonPropertyDescription("printer, kds-tablet or led-board.")
    private DeviceType type;

    @Required
    @Size(min = 1, max = 20)
    @ValidationRule(
            value = "self.all(s, self.exists_one(t, t == s))",
            message = "stations must not repeat")
    @JsonPropertyDescription("Station names (the Store's stations[].name) whose tickets it gets.")
    private List<String> stations = new ArrayList<>();

    @Default("primary")
    @JsonPropertyDescription("primary gets tickets first; backup takes over when primary fails.")
    private DeviceRole role;

    @JsonPropertyDescription("Printer options; required for type printer, not allowed otherwise.")
    private PrinterOptions printer;

    @Min(5)
    @Max(300)
    @Default("15")
    @JsonPropertyDescription(
            "Seconds between heartbeats; the device is Offline after three missed ones.")
    private Integer heartbeatIntervalSeconds;

    public String getStoreRef() {
        return storeRef;
    }

    public void setStoreRef(String storeRef) {
        this.storeRef = storeRef;
    }

    public DeviceType getType() {
        return type;
    }

    public void setType(DeviceType type) {
        this.type = type;
    }

    public List<String> getStations() {
        return stations;
    }

    public void setStations(List<String> stations) {
        this.stations = stations;
    }

    public DeviceRole getRole() {
        return role;
    }

    public void setRole(DeviceRole role) {
        this.role = role;
    }

    public PrinterOptions getPrinter() {
        return printer;
    }

    public void setPrinter(PrinterOptions printer) {
        this.printer = printer;
    }

    public Integer getHeartbeatIntervalSeconds() {
        return heartbeatIntervalSeconds;
    }

    public void setHeartbeatIntervalSeconds(Integer heartbeatIntervalSeconds) {
        this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
    }
}
