package io.scanorder.order.menu;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a menu before it is published. Every problem is reported with the field path of the proto
 * request ({@code menu.items[3].skus[0].price_fen}), so the operator can put it in the Menu's
 * {@code Valid} condition and a person can find the line in the Menu resource.
 */
public final class MenuValidator {
    /** Longest preparation time accepted; longer is almost certainly a unit mistake. */
    public static final int MAX_PREP_MINUTES = 240;

    /** Highest price accepted (1,000,000 yuan); higher is almost certainly a unit mistake. */
    public static final long MAX_PRICE_FEN = 100_000_000L;

    /** Most of one SKU in one combo. */
    public static final int MAX_COMPONENT_QUANTITY = 99;

    /** Codes end up in Redis keys, tickets and URLs, so they are kept to a safe alphabet. */
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private static final Pattern STATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private static final int MAX_NAME = 100;

    private MenuValidator() {}

    /**
     * Returns every problem in {@code menu}, in field order; empty when it may be published.
     *
     * @param storeStations the store's kitchen stations when known; items must use one of them
     */
    public static List<FieldError> validate(Menu menu, Optional<Set<String>> storeStations) {
        List<FieldError> errors = new ArrayList<>();
        if (menu == null) {
            errors.add(new FieldError("menu", "is required"));
            return errors;
        }
        Set<String> categoryCodes = new HashSet<>();
        for (int i = 0; i < menu.categories().size(); i++) {
            Menu.Category c = menu.categories().get(i);
            String path = "menu.categories[" + i + "]";
            if (code(errors, path + ".category_code", c.categoryCode())
                    && !categoryCodes.add(c.categoryCode())) {
                errors.add(duplicate(path + ".category_code", c.categoryCode()));
            }
            name(errors, path + ".name", c.name());
        }

        if (menu.items().isEmpty()) {
            errors.add(new FieldError("menu.items", "must hold at least one item"));
        }
        Set<String> spuCodes = new HashSet<>();
        // SKU and combo codes share one namespace: both can be ordered by code.
        Map<String, String> orderableCodes = new HashMap<>();
        for (int i = 0; i < menu.items().size(); i++) {
            item(
                    errors,
                    "menu.items[" + i + "]",
                    menu.items().get(i),
                    storeStations,
                    categoryCodes,
                    spuCodes,
                    orderableCodes);
        }
        Set<String> skuCodes = Set.copyOf(orderableCodes.keySet());
        for (int i = 0; i < menu.combos().size(); i++) {
            combo(errors, "menu.combos[" + i + "]", menu.combos().get(i), skuCodes, orderableCodes);
        }
        return errors;
    }

    /** Throws {@link InvalidMenuException} listing every problem unless the menu is valid. */
    public static void check(Menu menu, Optional<Set<String>> storeStations) {
        List<FieldError> errors = validate(menu, storeStations);
        if (!errors.isEmpty()) {
            throw new InvalidMenuException(errors);
        }
    }

    private static void item(
            List<FieldError> errors,
            String path,
            Menu.Item item,
            Optional<Set<String>> storeStations,
            Set<String> categoryCodes,
            Set<String> spuCodes,
            Map<String, String> orderableCodes) {
        if (code(errors, path + ".spu_code", item.spuCode()) && !spuCodes.add(item.spuCode())) {
            errors.add(duplicate(path + ".spu_code", item.spuCode()));
        }
        name(errors, path + ".name", item.name());
        if (blank(item.categoryCode())) {
            errors.add(new FieldError(path + ".category_code", "is required"));
        } else if (!categoryCodes.contains(item.categoryCode())) {
            errors.add(
                    new FieldError(
                            path + ".category_code",
                            "'" + item.categoryCode() + "' is not a category of this menu"));
        }
        station(errors, path + ".station", item.station(), storeStations);
        if (item.prepMinutes() < 0 || item.prepMinutes() > MAX_PREP_MINUTES) {
            errors.add(
                    new FieldError(
                            path + ".prep_minutes",
                            "must be between 0 and "
                                    + MAX_PREP_MINUTES
                                    + ", got "
                                    + item.prepMinutes()));
        }
        Set<String> allergens = new HashSet<>();
        for (int j = 0; j < item.allergens().size(); j++) {
            String a = item.allergens().get(j);
            String p = path + ".allergens[" + j + "]";
            if (blank(a)) {
                errors.add(new FieldError(p, "must not be empty"));
            } else if (!allergens.add(a)) {
                errors.add(duplicate(p, a));
            }
        }
        imageUrl(errors, path + ".image_url", item.imageUrl());
        for (int j = 0; j < item.availability().size(); j++) {
            window(errors, path + ".availability[" + j + "]", item.availability().get(j));
        }
        if (item.skus().isEmpty()) {
            errors.add(new FieldError(path + ".skus", "must hold at least one SKU"));
        }
        for (int j = 0; j < item.skus().size(); j++) {
            Menu.Sku sku = item.skus().get(j);
            String p = path + ".skus[" + j + "]";
            if (code(errors, p + ".sku_code", sku.skuCode())) {
                String earlier = orderableCodes.putIfAbsent(sku.skuCode(), p);
                if (earlier != null) {
                    errors.add(
                            new FieldError(
                                    p + ".sku_code",
                                    "'" + sku.skuCode() + "' is already used by " + earlier));
                }
            }
            if (sku.spec() != null && sku.spec().length() > MAX_NAME) {
                errors.add(new FieldError(p + ".spec", "must be at most " + MAX_NAME + " chars"));
            }
            price(errors, p + ".price_fen", sku.priceFen());
            if (sku.costFen() < 0) {
                errors.add(new FieldError(p + ".cost_fen", "must be >= 0, got " + sku.costFen()));
            }
        }
    }

    private static void combo(
            List<FieldError> errors,
            String path,
            Menu.Combo combo,
            Set<String> skuCodes,
            Map<String, String> orderableCodes) {
        if (code(errors, path + ".combo_code", combo.comboCode())) {
            String earlier = orderableCodes.putIfAbsent(combo.comboCode(), path);
            if (earlier != null) {
                errors.add(
                        new FieldError(
                                path + ".combo_code",
                                "'" + combo.comboCode() + "' is already used by " + earlier));
            }
        }
        name(errors, path + ".name", combo.name());
        price(errors, path + ".price_fen", combo.priceFen());
        if (combo.components().isEmpty()) {
            errors.add(new FieldError(path + ".components", "must hold at least one component"));
        }
        Set<String> seen = new HashSet<>();
        for (int j = 0; j < combo.components().size(); j++) {
            Menu.Component c = combo.components().get(j);
            String p = path + ".components[" + j + "]";
            if (blank(c.skuCode())) {
                errors.add(new FieldError(p + ".sku_code", "is required"));
            } else if (!skuCodes.contains(c.skuCode())) {
                errors.add(
                        new FieldError(
                                p + ".sku_code",
                                "'" + c.skuCode() + "' is not a SKU of this menu"));
            } else if (!seen.add(c.skuCode())) {
                errors.add(
                        new FieldError(
                                p + ".sku_code",
                                "'" + c.skuCode() + "' appears twice in this combo; use quantity"));
            }
            if (c.quantity() < 1 || c.quantity() > MAX_COMPONENT_QUANTITY) {
                errors.add(
                        new FieldError(
                                p + ".quantity",
                                "must be between 1 and "
                                        + MAX_COMPONENT_QUANTITY
                                        + ", got "
                                        + c.quantity()));
            }
        }
    }

    private static void window(List<FieldError> errors, String path, Menu.Window w) {
        Set<Integer> days = new HashSet<>();
        for (int k = 0; k < w.daysOfWeek().size(); k++) {
            int d = w.daysOfWeek().get(k);
            String p = path + ".days_of_week[" + k + "]";
            if (d < 1 || d > 7) {
                errors.add(new FieldError(p, "must be 1 (Monday) to 7 (Sunday), got " + d));
            } else if (!days.add(d)) {
                errors.add(duplicate(p, Integer.toString(d)));
            }
        }
        boolean startOk = w.startMinute() >= 0 && w.startMinute() <= 1439;
        boolean endOk = w.endMinute() >= 1 && w.endMinute() <= 1440;
        if (!startOk) {
            errors.add(
                    new FieldError(
                            path + ".start_minute",
                            "must be between 0 and 1439, got " + w.startMinute()));
        }
        if (!endOk) {
            errors.add(
                    new FieldError(
                            path + ".end_minute",
                            "must be between 1 and 1440, got " + w.endMinute()));
        }
        if (startOk && endOk && w.startMinute() >= w.endMinute()) {
            errors.add(
                    new FieldError(
                            path + ".end_minute",
                            "must be after start_minute ("
                                    + w.startMinute()
                                    + "), got "
                                    + w.endMinute()
                                    + "; split windows that cross midnight in two"));
        }
    }

    private static void station(
            List<FieldError> errors,
            String path,
            String station,
            Optional<Set<String>> storeStations) {
        if (blank(station)) {
            errors.add(new FieldError(path, "is required"));
        } else if (!STATION.matcher(station).matches()) {
            errors.add(
                    new FieldError(
                            path, "'" + station + "' must be lower-case letters, digits and '-'"));
        } else if (storeStations.isPresent() && !storeStations.get().contains(station)) {
            errors.add(
                    new FieldError(
                            path,
                            "'"
                                    + station
                                    + "' is not a station of this store "
                                    + storeStations.get().stream().sorted().toList()));
        }
    }

    private static void imageUrl(List<FieldError> errors, String path, String url) {
        if (blank(url)) {
            return;
        }
        try {
            URI uri = new URI(url);
            if (!"https".equals(uri.getScheme()) || blank(uri.getHost())) {
                errors.add(new FieldError(path, "must be an https URL with a host, got " + url));
            }
        } catch (URISyntaxException e) {
            errors.add(new FieldError(path, "is not a valid URL: " + e.getMessage()));
        }
    }

    private static void price(List<FieldError> errors, String path, long fen) {
        if (fen <= 0) {
            errors.add(new FieldError(path, "must be > 0, got " + fen));
        } else if (fen > MAX_PRICE_FEN) {
            errors.add(new FieldError(path, "must be at most " + MAX_PRICE_FEN + ", got " + fen));
        }
    }

    private static boolean code(List<FieldError> errors, String path, String code) {
        if (blank(code)) {
            errors.add(new FieldError(path, "is required"));
            return false;
        }
        if (!CODE.matcher(code).matches()) {
            errors.add(
                    new FieldError(
                            path,
                            "'"
                                    + code
                                    + "' must be 1-64 letters, digits, '_', '.' or '-',"
                                    + " starting with a letter or digit"));
            return false;
        }
        return true;
    }

    private static void name(List<FieldError> errors, String path, String name) {
        if (blank(name)) {
            errors.add(new FieldError(path, "is required"));
        } else if (name.length() > MAX_NAME) {
            errors.add(new FieldError(path, "must be at most " + MAX_NAME + " chars"));
        }
    }

    private static FieldError duplicate(String path, String value) {
        return new FieldError(path, "'" + value + "' is a duplicate");
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
