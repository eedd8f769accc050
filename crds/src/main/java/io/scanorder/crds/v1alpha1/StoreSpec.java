package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.List;

/** Desired state of a {@link Store}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreSpec {
    @Required
    @Pattern("^[0-9]{3}$")
    @JsonPropertyDescription(
            "Three-digit store code, unique within the brand; the first part of every table code.")
    private String storeCode;

    @Required
    @Size(min = 1, max = 64)
    @JsonPropertyDescription("Display name of the store shown to diners and on tickets.")
    private String name;

    @Required
    @Pattern("^[A-Za-z]+(/[A-Za-z0-9_+-]+)+$|^UTC$")
    @JsonPropertyDescription(
            "IANA time zone of the store, e.g. Asia/Shanghai; menu availability windows use it.")
    private String timezone;

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription("Name of the Menu in the same namespace that this store sells.")
    private String menuRef;

    @Required
    @Size(min = 1, max = 50)
    @ValidationRule(
            value = "self.all(a, self.exists_one(b, b.code == a.code))",
            message = "area codes must be unique within the store")
    @JsonPropertyDescription("Dining areas (halls, terraces, private rooms) and their tables.")
    private List<Area> areas = new ArrayList<>();

    @Required
    @Size(min = 1, max = 20)
    @ValidationRule(
            value = "self.all(s, self.exists_one(t, t.name == s.name))",
            message = "station names must be unique within the store")
    @JsonPropertyDescription(
            "Kitchen stations tickets are split by, e.g. hot, cold, bar. Menu items name one.")
    private List<Station> stations = new ArrayList<>();

    @Required
    @JsonPropertyDescription("How diners pay for orders of this store.")
    private PaymentSpec payment;

    @Required
    @Pattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
    @JsonPropertyDescription(
            "Name of the Secret in the store's namespace that the order service reads at start-up:"
                    + " app-id and app-secret of the WeChat mini-program (diner login) and"
                    + " session-signing-key (base64, at least 32 bytes) signing diner sessions.")
    private String dinerSecretRef;

    @JsonPropertyDescription("How the store's order service is sized and scaled.")
    private ServingSpec serving;

    public String getStoreCode() {
        return storeCode;
    }

    public void setStoreCode(String storeCode) {
        this.storeCode = storeCode;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTimezone() {
        return timezone;
    }

    public void setTimezone(String timezone) {
        this.timezone = timezone;
    }

    public String getMenuRef() {
        return menuRef;
    }

    public void setMenuRef(String menuRef) {
        this.menuRef = menuRef;
    }

    public List<Area> getAreas() {
        return areas;
    }

    public void setAreas(List<Area> areas) {
        this.areas = areas;
    }

    public List<Station> getStations() {
        return stations;
    }

    public void setStations(List<Station> stations) {
        this.stations = stations;
    }

    public PaymentSpec getPayment() {
        return payment;
    }

    public void setPayment(PaymentSpec payment) {
        this.payment = payment;
    }

    public String getDinerSecretRef() {
        return dinerSecretRef;
    }

    public void setDinerSecretRef(String dinerSecretRef) {
        this.dinerSecretRef = dinerSecretRef;
    }

    public ServingSpec getServing() {
        return serving;
    }

    public void setServing(ServingSpec serving) {
        this.serving = serving;
    }
}
