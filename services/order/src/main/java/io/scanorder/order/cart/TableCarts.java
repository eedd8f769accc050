package io.scanorder.order.cart;

import io.quarkus.redis.datasource.RedisDataSource;
import io.scanorder.order.menu.Menu;
import io.scanorder.order.menu.MenuNotFoundException;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.menu.PriceSnapshot;
import io.scanorder.order.menu.StoredMenu;
import io.scanorder.order.redis.RedisHealth;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Shared carts, one per table, that several diners change at once. Carts live in Redis ({@link
 * CartStore}); every change is atomic and bumps the cart's version, and replicas push the new cart
 * to the table's event streams ({@link CartEvents}). SKUs are checked against the menu in force and
 * prices are always taken from it when a cart is read, so a cart never shows a stale price.
 *
 * <p>While Redis is down every operation fails with 503 {@code CART_UNAVAILABLE}: ordering directly
 * does not need the cart.
 */
@ApplicationScoped
public class TableCarts {
    private static final Pattern LINE_ID = Pattern.compile("[0-9a-f]{16}");
    private static final int MAX_SKU_LENGTH = 64;
    private static final int MAX_NOTE_LENGTH = 60;
    private static final int MAX_NICKNAME_LENGTH = 32;

    private final CartStore store;
    private final MenuService menus;
    private final RedisHealth health;
    private final CartConfig config;
    private final Clock clock = Clock.systemUTC();

    public TableCarts(
            RedisDataSource redis, MenuService menus, RedisHealth health, CartConfig config) {
        this.store = new CartStore(redis, config.ttl());
        this.menus = menus;
        this.health = health;
        this.config = config;
    }

    /** A cart with the menu revision it is priced from (null when the store has none). */
    record Priced(CartState state, StoredMenu menu) {}

    /** The table's cart as {@code viewerOpenid} sees it. */
    public CartView get(TableRef table, String viewerOpenid) {
        return view(read(table), viewerOpenid);
    }

    /**
     * Adds {@code quantity} of {@code sku} with {@code note}: a new line, or more of the line with
     * the same SKU and note (which keeps who first added it).
     */
    public CartView add(
            TableRef table, String sku, int quantity, String note, String openid, String nickname) {
        String code = checkSku(sku);
        checkQuantity(quantity);
        String cleanNote = clean("note", note, MAX_NOTE_LENGTH);
        String cleanNick = clean("nickname", nickname, MAX_NICKNAME_LENGTH);
        StoredMenu menu = requireOrderable(table, code);
        String lineId = CartStore.lineId(code, cleanNote);
        CartStore.Meta meta =
                new CartStore.Meta(
                        code, cleanNote, openid, cleanNick, clock.instant().toEpochMilli());
        CartStore.Outcome out =
                redis(
                        "add to cart",
                        () ->
                                store.add(
                                        table,
                                        lineId,
                                        quantity,
                                        meta,
                                        config.maxQuantity(),
                                        config.maxLines()));
        if (out.code() == -2) {
            throw new CartException(
                    422,
                    "QUANTITY_LIMIT",
                    "quantity: the line of '"
                            + code
                            + "' already holds "
                            + out.value()
                            + "; adding "
                            + quantity
                            + " would pass the limit of "
                            + config.maxQuantity()
                            + " per line");
        }
        if (out.code() == -3) {
            throw new CartException(
                    422,
                    "CART_FULL",
                    "sku: the cart of "
                            + table
                            + " already has "
                            + out.value()
                            + " lines, the most a cart may hold; remove one or order first");
        }
        return view(new Priced(redis("read cart", () -> store.read(table)), menu), openid);
    }

    /** Sets the quantity of a line. */
    public CartView setQuantity(TableRef table, String lineId, int quantity, String viewerOpenid) {
        checkLineId(table, lineId);
        checkQuantity(quantity);
        CartStore.Outcome out =
                redis("set cart quantity", () -> store.set(table, lineId, quantity));
        if (out.code() == -1) {
            throw lineNotFound(table, lineId);
        }
        return view(read(table), viewerOpenid);
    }

    /** Removes a line. */
    public CartView remove(TableRef table, String lineId, String viewerOpenid) {
        checkLineId(table, lineId);
        CartStore.Outcome out = redis("remove cart line", () -> store.remove(table, lineId));
        if (out.code() == -1) {
            throw lineNotFound(table, lineId);
        }
        return view(read(table), viewerOpenid);
    }

    /** Removes every line. */
    public CartView clear(TableRef table, String viewerOpenid) {
        redis("clear cart", () -> store.clear(table));
        return view(read(table), viewerOpenid);
    }

    /**
     * Prices the cart for an order without changing it, but only when the cart is still at {@code
     * expectedVersion}, the version the diner confirmed. After the order is placed, {@link
     * #clearOrdered} empties the cart if nobody changed it meanwhile.
     *
     * @throws CartException 409 {@code CART_CHANGED} when someone changed the cart since, 409
     *     {@code CART_EMPTY}, 409 {@code SKU_SOLD_OUT} / 422 {@code SKU_UNKNOWN} naming a line that
     *     cannot be ordered any more, 503 {@code CART_UNAVAILABLE} while Redis is down
     */
    public Checkout confirm(TableRef table, long expectedVersion) {
        Priced priced = read(table);
        CartState state = priced.state();
        if (state.version() != expectedVersion) {
            throw changed(table, expectedVersion, state.version());
        }
        if (state.lines().isEmpty()) {
            throw empty(table);
        }
        StoredMenu menu = menuOrThrow(table);
        Set<String> known = codes(menu.menu());
        for (CartState.Line l : state.lines()) {
            if (!known.contains(l.sku())) {
                throw unknownSku(table, l.sku(), menu);
            }
        }
        Map<String, PriceSnapshot> prices =
                MenuService.snapshot(menu, state.lines().stream().map(l -> l.sku()).toList());
        List<CheckoutLine> lines = new ArrayList<>();
        long total = 0;
        for (CartState.Line l : state.lines()) {
            PriceSnapshot p = prices.get(l.sku());
            if (p.soldOut()) {
                throw soldOut(l.sku());
            }
            lines.add(new CheckoutLine(l.sku(), l.note(), l.quantity(), p, l.openid()));
            total += p.priceFen() * l.quantity();
        }
        return new Checkout(table, expectedVersion, menu.revisionHash(), lines, total);
    }

    /**
     * Empties the cart after an order was placed from {@code orderedVersion}. Only that version is
     * cleared (atomically, in one script): a change a diner made after confirming stays in the
     * cart, so nothing anyone added is lost; repeating the call changes nothing.
     *
     * @return true when the cart was cleared, false when it had changed or was already empty
     */
    public boolean clearOrdered(TableRef table, long orderedVersion) {
        CartStore.Outcome out =
                redis("clear ordered cart", () -> store.clearIfVersion(table, orderedVersion));
        return out.ok();
    }

    /** The cart and the menu it is priced from. */
    Priced read(TableRef table) {
        CartState state = redis("read cart", () -> store.read(table));
        StoredMenu menu;
        try {
            menu = menus.current(table.storeCode());
        } catch (MenuNotFoundException e) {
            menu = null;
        }
        return new Priced(state, menu);
    }

    /** Prices a cart for one viewer. */
    CartView view(Priced priced, String viewerOpenid) {
        CartState state = priced.state();
        Map<String, PriceSnapshot> prices = Map.of();
        if (priced.menu() != null) {
            Set<String> known = codes(priced.menu().menu());
            prices =
                    MenuService.snapshot(
                            priced.menu(),
                            state.lines().stream()
                                    .map(CartState.Line::sku)
                                    .filter(known::contains)
                                    .toList());
        }
        List<CartView.Line> lines = new ArrayList<>();
        int items = 0;
        long total = 0;
        for (CartState.Line l : state.lines()) {
            PriceSnapshot p = prices.get(l.sku());
            String problem = null;
            if (p == null) {
                problem =
                        priced.menu() == null
                                ? "the store has no published menu"
                                : "no longer on the menu";
            } else if (p.soldOut()) {
                problem = "sold out";
            }
            boolean available = problem == null;
            Long unit = available ? p.priceFen() : null;
            Long lineTotal = available ? p.priceFen() * l.quantity() : null;
            if (available) {
                items += l.quantity();
                total += lineTotal;
            }
            lines.add(
                    new CartView.Line(
                            l.lineId(),
                            l.sku(),
                            p == null ? l.sku() : p.name(),
                            p == null ? "" : p.spec(),
                            l.note(),
                            l.quantity(),
                            unit,
                            lineTotal,
                            available,
                            problem,
                            l.nickname(),
                            l.openid().equals(viewerOpenid),
                            Instant.ofEpochMilli(l.addedAtMillis())));
        }
        Instant expiresAt =
                state.expiresInMillis() < 0
                        ? null
                        : clock.instant().plusMillis(state.expiresInMillis());
        return new CartView(
                state.table().storeCode(),
                state.table().tableCode(),
                state.version(),
                lines,
                items,
                total,
                priced.menu() == null ? null : priced.menu().revisionHash(),
                expiresAt);
    }

    private StoredMenu requireOrderable(TableRef table, String code) {
        StoredMenu menu = menuOrThrow(table);
        if (!codes(menu.menu()).contains(code)) {
            throw unknownSku(table, code, menu);
        }
        if (MenuService.snapshot(menu, List.of(code)).get(code).soldOut()) {
            throw soldOut(code);
        }
        return menu;
    }

    private StoredMenu menuOrThrow(TableRef table) {
        try {
            return menus.current(table.storeCode());
        } catch (MenuNotFoundException e) {
            throw new CartException(
                    409,
                    "MENU_NOT_PUBLISHED",
                    "store " + table.storeCode() + " has no menu to order from: " + e.getMessage());
        }
    }

    private static Set<String> codes(Menu menu) {
        Set<String> codes = new LinkedHashSet<>();
        for (Menu.Item item : menu.items()) {
            for (Menu.Sku sku : item.skus()) {
                codes.add(sku.skuCode());
            }
        }
        for (Menu.Combo combo : menu.combos()) {
            codes.add(combo.comboCode());
        }
        return codes;
    }

    private <T> T redis(String operation, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            health.failed(operation, e);
            throw CartException.unavailable(e);
        }
        health.succeeded();
        return result;
    }

    private static String checkSku(String sku) {
        if (sku == null || sku.isBlank()) {
            throw new CartException(400, "SKU_MISSING", "sku: the SKU or combo code is required");
        }
        if (sku.length() > MAX_SKU_LENGTH) {
            throw new CartException(
                    400, "SKU_MALFORMED", "sku: longer than " + MAX_SKU_LENGTH + " characters");
        }
        return sku.trim();
    }

    private void checkQuantity(int quantity) {
        if (quantity < 1 || quantity > config.maxQuantity()) {
            throw new CartException(
                    400,
                    "QUANTITY_OUT_OF_RANGE",
                    "quantity: must be 1 to " + config.maxQuantity() + ", got " + quantity);
        }
    }

    private static String clean(String field, String value, int max) {
        if (value == null) {
            return "";
        }
        String v = value.strip();
        if (v.length() > max) {
            throw new CartException(
                    400,
                    field.toUpperCase() + "_TOO_LONG",
                    field + ": at most " + max + " characters, got " + v.length());
        }
        if (v.chars().anyMatch(Character::isISOControl)) {
            throw new CartException(
                    400,
                    field.toUpperCase() + "_MALFORMED",
                    field + ": control characters are not allowed");
        }
        return v;
    }

    private static void checkLineId(TableRef table, String lineId) {
        if (lineId == null || !LINE_ID.matcher(lineId).matches()) {
            throw lineNotFound(table, lineId);
        }
    }

    private static CartException lineNotFound(TableRef table, String lineId) {
        return new CartException(
                404,
                "LINE_NOT_FOUND",
                "lineId: the cart of " + table + " has no line '" + lineId + "'");
    }

    private static CartException unknownSku(TableRef table, String code, StoredMenu menu) {
        return new CartException(
                422,
                "SKU_UNKNOWN",
                "sku: '"
                        + code
                        + "' is not on the current menu of store "
                        + table.storeCode()
                        + " (revision "
                        + menu.revisionHash()
                        + ")");
    }

    private static CartException soldOut(String code) {
        return new CartException(
                409, "SKU_SOLD_OUT", "sku: '" + code + "' is sold out on the current menu");
    }

    private static CartException changed(TableRef table, long expected, long actual) {
        return new CartException(
                409,
                "CART_CHANGED",
                "version: the cart of "
                        + table
                        + " changed since version "
                        + expected
                        + " (now "
                        + actual
                        + "); show the diners the current cart and confirm again");
    }

    private static CartException empty(TableRef table) {
        return new CartException(
                409, "CART_EMPTY", "the cart of " + table + " has no lines to order");
    }
}
