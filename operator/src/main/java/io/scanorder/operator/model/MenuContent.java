package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.Allergen;
import io.scanorder.crds.v1alpha1.AvailabilityWindow;
import io.scanorder.crds.v1alpha1.Combo;
import io.scanorder.crds.v1alpha1.ComboComponent;
import io.scanorder.crds.v1alpha1.MenuCategory;
import io.scanorder.crds.v1alpha1.MenuItem;
import io.scanorder.crds.v1alpha1.MenuSpec;
import io.scanorder.crds.v1alpha1.Sku;
import io.scanorder.crds.v1alpha1.Weekday;
import io.scanorder.proto.order.v1.Menu;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A Menu spec as the order service's contract ({@code scanorder.order.v1.Menu}) and the revision
 * hash the operator publishes it by. The proto message classes are plain data, so this stays free
 * of any gRPC or Kubernetes client code.
 */
public final class MenuContent {
    /** Preparation time when the spec leaves it out (the CRD's default). */
    static final int DEFAULT_PREP_MINUTES = 10;

    private static final Comparator<io.scanorder.proto.order.v1.AvailabilityWindow> WINDOWS =
            Comparator.comparingInt(io.scanorder.proto.order.v1.AvailabilityWindow::getStartMinute)
                    .thenComparingInt(io.scanorder.proto.order.v1.AvailabilityWindow::getEndMinute)
                    .thenComparing(w -> w.getDaysOfWeekList().toString());

    private MenuContent() {}

    /**
     * The menu in the contract's terms. A window running past midnight (to before from) becomes
     * two: from until midnight on its days, and midnight until to on the following days, because
     * the contract refuses inverted windows.
     */
    public static Menu toProto(MenuSpec spec) {
        Menu.Builder menu = Menu.newBuilder();
        for (MenuCategory c : list(spec.getCategories())) {
            menu.addCategoriesBuilder().setCategoryCode(s(c.getCode())).setName(s(c.getName()));
        }
        for (MenuItem i : list(spec.getItems())) {
            io.scanorder.proto.order.v1.MenuItem.Builder item =
                    menu.addItemsBuilder()
                            .setSpuCode(s(i.getSpuCode()))
                            .setName(s(i.getName()))
                            .setCategoryCode(s(i.getCategory()))
                            .setStation(s(i.getStation()))
                            .setPrepMinutes(
                                    i.getPrepMinutes() == null
                                            ? DEFAULT_PREP_MINUTES
                                            : i.getPrepMinutes())
                            .setImageUrl(s(i.getImageUrl()))
                            .setSoldOut(Boolean.TRUE.equals(i.getSoldOut()));
            list(i.getAllergens()).stream().map(MenuContent::allergen).forEach(item::addAllergens);
            for (AvailabilityWindow w : list(i.getAvailability())) {
                windows(w).forEach(item::addAvailability);
            }
            for (Sku k : list(i.getSkus())) {
                item.addSkusBuilder()
                        .setSkuCode(s(k.getSkuCode()))
                        .setSpec(s(k.getSpec()))
                        .setPriceFen(k.getPriceFen() == null ? 0 : k.getPriceFen())
                        .setCostFen(k.getCostFen() == null ? 0 : k.getCostFen());
            }
        }
        for (Combo c : list(spec.getCombos())) {
            io.scanorder.proto.order.v1.Combo.Builder combo =
                    menu.addCombosBuilder()
                            .setComboCode(s(c.getCode()))
                            .setName(s(c.getName()))
                            .setPriceFen(c.getPriceFen() == null ? 0 : c.getPriceFen());
            for (ComboComponent part : list(c.getComponents())) {
                combo.addComponentsBuilder()
                        .setSkuCode(s(part.getSkuCode()))
                        .setQuantity(part.getQuantity() == null ? 1 : part.getQuantity());
            }
        }
        return menu.build();
    }

    /**
     * The revision hash the order service stores the menu under (contract: PublishMenuRequest):
     * SHA-256 of the canonical JSON of the menu with the lists whose order means nothing
     * (allergens, windows and their days, combo components) sorted. The operator sends it with
     * PublishMenu, so the service refuses the request if the two sides ever disagree, and compares
     * it with the revision GetMenu reports.
     */
    public static String revisionHash(Menu menu) {
        return CanonicalJson.sha256(normalize(menu));
    }

    /** The menu with its order-insensitive lists sorted. */
    static Menu normalize(Menu menu) {
        Menu.Builder b = menu.toBuilder();
        for (io.scanorder.proto.order.v1.MenuItem.Builder item : b.getItemsBuilderList()) {
            List<String> allergens = item.getAllergensList().stream().sorted().toList();
            List<io.scanorder.proto.order.v1.AvailabilityWindow> windows =
                    item.getAvailabilityList().stream()
                            .map(
                                    w ->
                                            w.toBuilder()
                                                    .clearDaysOfWeek()
                                                    .addAllDaysOfWeek(
                                                            w.getDaysOfWeekList().stream()
                                                                    .sorted()
                                                                    .toList())
                                                    .build())
                            .sorted(WINDOWS)
                            .toList();
            item.clearAllergens().addAllAllergens(allergens);
            item.clearAvailability().addAllAvailability(windows);
        }
        for (io.scanorder.proto.order.v1.Combo.Builder combo : b.getCombosBuilderList()) {
            List<io.scanorder.proto.order.v1.ComboComponent> parts =
                    combo.getComponentsList().stream()
                            .sorted(
                                    Comparator.comparing(
                                                    io.scanorder.proto.order.v1.ComboComponent
                                                            ::getSkuCode)
                                            .thenComparingInt(
                                                    io.scanorder.proto.order.v1.ComboComponent
                                                            ::getQuantity))
                            .toList();
            combo.clearComponents().addAllComponents(parts);
        }
        return b.build();
    }

    /** Minutes after midnight of an {@code HH:mm} time, or -1 when it is not one. */
    static int minuteOfDay(String hhmm) {
        if (hhmm == null || !hhmm.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
            return -1;
        }
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
    }

    private static List<io.scanorder.proto.order.v1.AvailabilityWindow> windows(
            AvailabilityWindow w) {
        int from = minuteOfDay(w.getFrom());
        int to = minuteOfDay(w.getTo());
        List<Integer> days = list(w.getDays()).stream().map(MenuContent::isoDay).toList();
        List<io.scanorder.proto.order.v1.AvailabilityWindow> out = new ArrayList<>();
        if (to > from) {
            out.add(window(days, from, to));
            return out;
        }
        out.add(window(days, from, 24 * 60));
        if (to > 0) {
            out.add(window(days.stream().map(d -> d % 7 + 1).toList(), 0, to));
        }
        return out;
    }

    private static io.scanorder.proto.order.v1.AvailabilityWindow window(
            List<Integer> days, int start, int end) {
        return io.scanorder.proto.order.v1.AvailabilityWindow.newBuilder()
                .addAllDaysOfWeek(days)
                .setStartMinute(start)
                .setEndMinute(end)
                .build();
    }

    private static int isoDay(Weekday day) {
        return day.ordinal() + 1;
    }

    /** The allergen as the manifests spell it, e.g. {@code tree-nuts}. */
    private static String allergen(Allergen a) {
        return a.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }
}
