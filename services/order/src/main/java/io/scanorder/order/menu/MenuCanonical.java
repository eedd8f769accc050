package io.scanorder.order.menu;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical form of a menu and its revision hash.
 *
 * <p>Order is kept where it is shown to diners (categories, items, SKUs, combos) and dropped where
 * it means nothing (allergens, days of a window, the windows of an item, the components of a
 * combo): those are sorted, so reordering them yields the same revision. Null strings become empty.
 * The hash is the lower-case hex SHA-256 of the canonical JSON (UTF-8, fields in declaration order,
 * no whitespace), which is also what the database stores.
 */
public final class MenuCanonical {
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .disable(SerializationFeature.INDENT_OUTPUT)
                    .build();

    private static final Comparator<Menu.Window> WINDOW_ORDER =
            Comparator.comparingInt(Menu.Window::startMinute)
                    .thenComparingInt(Menu.Window::endMinute)
                    .thenComparing(w -> w.daysOfWeek().toString());

    private MenuCanonical() {}

    /** The menu with order-insensitive lists sorted and nulls replaced by empty strings. */
    public static Menu normalize(Menu menu) {
        return new Menu(
                menu.categories().stream()
                        .map(c -> new Menu.Category(s(c.categoryCode()), s(c.name())))
                        .toList(),
                menu.items().stream().map(MenuCanonical::normalize).toList(),
                menu.combos().stream()
                        .map(
                                c ->
                                        new Menu.Combo(
                                                s(c.comboCode()),
                                                s(c.name()),
                                                c.priceFen(),
                                                c.components().stream()
                                                        .map(
                                                                x ->
                                                                        new Menu.Component(
                                                                                s(x.skuCode()),
                                                                                x.quantity()))
                                                        .sorted(
                                                                Comparator.comparing(
                                                                                Menu.Component
                                                                                        ::skuCode)
                                                                        .thenComparingInt(
                                                                                Menu.Component
                                                                                        ::quantity))
                                                        .toList()))
                        .toList());
    }

    private static Menu.Item normalize(Menu.Item i) {
        List<Menu.Window> windows =
                i.availability().stream()
                        .map(
                                w ->
                                        new Menu.Window(
                                                w.daysOfWeek().stream().sorted().toList(),
                                                w.startMinute(),
                                                w.endMinute()))
                        .sorted(WINDOW_ORDER)
                        .toList();
        return new Menu.Item(
                s(i.spuCode()),
                s(i.name()),
                s(i.categoryCode()),
                s(i.station()),
                i.prepMinutes(),
                i.allergens().stream().map(MenuCanonical::s).sorted().toList(),
                s(i.imageUrl()),
                windows,
                i.soldOut(),
                i.skus().stream()
                        .map(
                                k ->
                                        new Menu.Sku(
                                                s(k.skuCode()),
                                                s(k.spec()),
                                                k.priceFen(),
                                                k.costFen()))
                        .toList());
    }

    /** Canonical JSON of the (normalized) menu. */
    public static String toJson(Menu menu) {
        try {
            return JSON.writeValueAsString(normalize(menu));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("menu could not be written as JSON", e);
        }
    }

    /** Reads a menu written by {@link #toJson}. */
    public static Menu fromJson(String json) {
        try {
            return JSON.readValue(json, Menu.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored menu JSON could not be read", e);
        }
    }

    /** Lower-case hex SHA-256 of the canonical JSON. */
    public static String revisionHash(Menu menu) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of()
                    .formatHex(sha.digest(toJson(menu).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }
}
