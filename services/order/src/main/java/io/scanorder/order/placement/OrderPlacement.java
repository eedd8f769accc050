package io.scanorder.order.placement;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.scanorder.order.config.OrderServiceConfig;
import io.scanorder.order.db.TransactionFailedException;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.menu.Menu;
import io.scanorder.order.menu.MenuNotFoundException;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.menu.PriceSnapshot;
import io.scanorder.order.menu.StoredMenu;
import io.scanorder.order.placement.PlacementRefusedException.Reason;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.OrderQueries;
import io.scanorder.order.state.OrderView;
import io.scanorder.order.table.TableCode;
import io.scanorder.order.table.TableInfo;
import io.scanorder.order.table.TableRegistry;
import io.scanorder.order.table.TableScene;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Places orders for the diner REST API and gRPC PlaceOrder: checks the request, resolves the table,
 * prices every line from the store's current menu, and writes the order, its lines and its first
 * event in one SERIALIZABLE unit of work ({@link PlacementStore}). An idempotency key places at
 * most one order: Redis answers repeats quickly ({@link PlacementIdempotency}), the database's
 * unique constraint makes it exact when Redis is down.
 */
@ApplicationScoped
public class OrderPlacement {
    /** Longest note of one line. */
    public static final int MAX_NOTE_LENGTH = 100;

    /** Longest remark of an order. */
    public static final int MAX_REMARK_LENGTH = 200;

    /** Longest idempotency key. */
    public static final int MAX_KEY_LENGTH = 64;

    /** How often a placement is re-priced when the menu changes under it before giving up. */
    private static final int MENU_ATTEMPTS = 3;

    private final TableRegistry tables;
    private final MenuService menus;
    private final PlacementStore store;
    private final PlacementIdempotency idempotency;
    private final BestSellers bestSellers;
    private final OrderQueries queries;
    private final PlacementConfig config;
    private final Duration defaultTimeout;
    private final MeterRegistry meters;

    public OrderPlacement(
            TableRegistry tables,
            MenuService menus,
            Transactions transactions,
            PlacementIdempotency idempotency,
            BestSellers bestSellers,
            OrderQueries queries,
            PlacementConfig config,
            OrderServiceConfig serviceConfig,
            MeterRegistry meters) {
        this.tables = tables;
        this.menus = menus;
        this.store = new PlacementStore(transactions, Clock.systemUTC());
        this.idempotency = idempotency;
        this.bestSellers = bestSellers;
        this.queries = queries;
        this.config = config;
        this.defaultTimeout = serviceConfig.orderStates().defaultPaymentTimeout();
        this.meters = meters;
    }

    /**
     * Places an order, or returns the one its idempotency key already placed.
     *
     * @param beforeNewOrder runs only when a new order is about to be created (not for a repeat of
     *     a placed one), e.g. to count it against rate limits; may throw to refuse
     * @throws PlacementRefusedException naming the field, line or key that is wrong
     * @throws io.scanorder.order.table.TableCodeException when the table code is refused
     * @throws io.scanorder.order.state.AmountOutOfRangeException above the store's order limit
     */
    public PlacementResult place(PlaceOrderCommand cmd, Runnable beforeNewOrder) {
        long started = System.nanoTime();
        String store = "unknown";
        String outcome = "refused";
        try {
            validate(cmd);
            ResolvedTable table = resolveTable(cmd);
            store = table.storeCode();
            PlacementResult result = place(cmd, table, beforeNewOrder);
            outcome = result.replayed() ? "replayed" : "placed";
            return result;
        } finally {
            Timer.builder("scanorder.order.submit")
                    .description("Time to answer an order submission (diner API and gRPC)")
                    .tag("store", store)
                    .tag("outcome", outcome)
                    .publishPercentileHistogram()
                    .minimumExpectedValue(Duration.ofMillis(1))
                    .maximumExpectedValue(Duration.ofSeconds(30))
                    .register(meters)
                    .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private PlacementResult place(
            PlaceOrderCommand cmd, ResolvedTable table, Runnable beforeNewOrder) {
        String remark = cmd.remark() == null ? "" : cmd.remark().strip();
        List<PlaceOrderCommand.Line> lines = normalised(cmd.lines());
        String fingerprint =
                RequestFingerprint.of(
                        cmd.placedBy(), table.tableCode(), lines, remark, cmd.partySize());
        String key = cmd.idempotencyKey();

        PlacementIdempotency.Claim claim = idempotency.claim(table.storeCode(), key, fingerprint);
        if (claim instanceof PlacementIdempotency.Claim.Placed placed) {
            return new PlacementResult(queries.get(placed.orderId()), true);
        }
        boolean owned = claim == PlacementIdempotency.Claim.OWNED;
        try {
            if (!owned) {
                // Redis could not tell: the database knows whether the key placed an order, and a
                // repeat must be answered before re-pricing (the menu may have changed since).
                UUID earlier = store.existing(table.storeCode(), key, fingerprint);
                if (earlier != null) {
                    idempotency.complete(table.storeCode(), key, fingerprint, earlier);
                    return new PlacementResult(queries.get(earlier), true);
                }
            }
            beforeNewOrder.run();
            PlacementStore.Inserted inserted = insert(cmd, table, lines, remark, fingerprint);
            idempotency.complete(table.storeCode(), key, fingerprint, inserted.orderId());
            OrderView view = queries.get(inserted.orderId());
            if (inserted.created()) {
                bestSellers.record(table.storeCode(), inserted.businessDay(), view.lines());
            }
            return new PlacementResult(view, !inserted.created());
        } catch (RuntimeException e) {
            if (owned) {
                idempotency.release(table.storeCode(), key, fingerprint);
            }
            throw e;
        }
    }

    /**
     * The order {@code idempotencyKey} already placed in the store for this diner, if any. Used
     * when the request itself can no longer be rebuilt, e.g. a repeated cart checkout whose cart
     * has been cleared by the first attempt.
     */
    public Optional<OrderView> placedBy(String storeCode, String idempotencyKey, String openid) {
        UUID id = store.placedBy(storeCode, idempotencyKey, openid);
        return id == null ? Optional.empty() : Optional.of(queries.get(id));
    }

    private PlacementStore.Inserted insert(
            PlaceOrderCommand cmd,
            ResolvedTable table,
            List<PlaceOrderCommand.Line> lines,
            String remark,
            String fingerprint) {
        StoredMenu menu = currentMenu(table.storeCode());
        for (int attempt = 1; ; attempt++) {
            List<PlacementStore.PricedLine> priced = price(menu, lines);
            PlacementStore.NewOrder order =
                    new PlacementStore.NewOrder(
                            table.storeCode(),
                            table.tableCode(),
                            cmd.idempotencyKey(),
                            fingerprint,
                            cmd.placedBy(),
                            menu.revisionHash(),
                            priced,
                            remark,
                            cmd.partySize(),
                            defaultTimeout);
            try {
                return store.insert(order);
            } catch (PlacementStore.StaleMenuException stale) {
                // Published between our (cached) read and the transaction: price from the new one.
                if (attempt >= MENU_ATTEMPTS) {
                    throw new IllegalStateException(
                            "the menu of store "
                                    + table.storeCode()
                                    + " changed "
                                    + attempt
                                    + " times while placing; retry the request",
                            stale);
                }
                menu = menus.revision(table.storeCode(), stale.currentHash());
            } catch (TransactionFailedException e) {
                if (!"23505".equals(e.sqlState()) || attempt >= MENU_ATTEMPTS) {
                    throw e;
                }
                // A concurrent request with the same key committed first (its unique constraint
                // fired): the next attempt finds its order and answers as a repeat.
            }
        }
    }

    private StoredMenu currentMenu(String storeCode) {
        try {
            return menus.current(storeCode);
        } catch (MenuNotFoundException e) {
            throw new PlacementRefusedException(
                    Reason.MENU_UNAVAILABLE,
                    "store " + storeCode + " cannot take orders: " + e.getMessage());
        }
    }

    /** Prices every line from {@code menu}, refusing unknown and sold-out codes by line. */
    static List<PlacementStore.PricedLine> price(
            StoredMenu menu, List<PlaceOrderCommand.Line> lines) {
        Set<String> sold = new HashSet<>();
        for (Menu.Item item : menu.menu().items()) {
            item.skus().forEach(s -> sold.add(s.skuCode()));
        }
        menu.menu().combos().forEach(c -> sold.add(c.comboCode()));
        List<String> problems = new ArrayList<>();
        Reason reason = null;
        Set<String> codes = new LinkedHashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String code = lines.get(i).skuCode();
            if (!sold.contains(code)) {
                problems.add(
                        "lines["
                                + i
                                + "].skuCode: '"
                                + code
                                + "' is not on the current menu of store "
                                + menu.storeCode());
                reason = Reason.SKU_UNKNOWN;
            } else {
                codes.add(code);
            }
        }
        Map<String, PriceSnapshot> prices = MenuService.snapshot(menu, codes);
        for (int i = 0; i < lines.size(); i++) {
            PriceSnapshot p = prices.get(lines.get(i).skuCode());
            if (p != null && p.soldOut()) {
                problems.add(
                        "lines["
                                + i
                                + "].skuCode: '"
                                + p.code()
                                + "' ("
                                + p.name()
                                + ") is sold out");
                reason = reason == null ? Reason.SKU_SOLD_OUT : reason;
            }
        }
        if (!problems.isEmpty()) {
            throw new PlacementRefusedException(reason, String.join("; ", problems));
        }
        List<PlacementStore.PricedLine> priced = new ArrayList<>();
        for (PlaceOrderCommand.Line line : lines) {
            priced.add(
                    new PlacementStore.PricedLine(
                            prices.get(line.skuCode()), line.quantity(), line.note()));
        }
        return priced;
    }

    /** The table's store and 12-digit code. */
    record ResolvedTable(String storeCode, String tableCode) {}

    private ResolvedTable resolveTable(PlaceOrderCommand cmd) {
        String ref = cmd.table() == null ? "" : cmd.table().strip();
        if (ref.isEmpty()) {
            throw invalid("table: the signed table scene from the QR code is required");
        }
        ResolvedTable table;
        if (ref.length() == TableCode.LENGTH && ref.chars().allMatch(Character::isDigit)) {
            if (cmd.placedBy().kind() != ActorKind.STAFF) {
                throw invalid(
                        "table: a diner must give the signed "
                                + TableScene.LENGTH
                                + "-character table scene from the QR code, not the bare"
                                + " 12-digit table code");
            }
            // Staff are trusted with bare codes; existence and service are checked on insert.
            TableCode code = TableCode.parse(ref);
            table = new ResolvedTable(code.storeCode(), code.digits());
        } else {
            TableInfo info = tables.resolve(ref);
            table = new ResolvedTable(info.storeCode(), info.tableCode());
        }
        if (cmd.storeCode() != null
                && !cmd.storeCode().isEmpty()
                && !cmd.storeCode().equals(table.storeCode())) {
            throw invalid(
                    "store_code: '"
                            + cmd.storeCode()
                            + "' does not match store "
                            + table.storeCode()
                            + " of table code "
                            + table.tableCode());
        }
        return table;
    }

    private void validate(PlaceOrderCommand cmd) {
        String key = cmd.idempotencyKey();
        if (key == null || key.isEmpty() || key.length() > MAX_KEY_LENGTH || key.isBlank()) {
            throw invalid(
                    "idempotency key (header Idempotency-Key, gRPC idempotency_key): must be 1-"
                            + MAX_KEY_LENGTH
                            + " characters, got "
                            + (key == null ? "none" : key.length() + " characters"));
        }
        if (cmd.placedBy() == null) {
            throw invalid("placed_by: who places the order is required");
        }
        if (cmd.placedBy().kind() != ActorKind.DINER && cmd.placedBy().kind() != ActorKind.STAFF) {
            throw invalid(
                    "placed_by.kind: orders are placed by a DINER or STAFF, got "
                            + cmd.placedBy().kind());
        }
        List<PlaceOrderCommand.Line> lines = cmd.lines();
        if (lines == null || lines.isEmpty()) {
            throw invalid("lines: an order needs at least one line");
        }
        if (lines.size() > config.maxLines()) {
            throw invalid("lines: at most " + config.maxLines() + " lines, got " + lines.size());
        }
        for (int i = 0; i < lines.size(); i++) {
            PlaceOrderCommand.Line l = lines.get(i);
            if (l == null) {
                throw invalid("lines[" + i + "]: is empty");
            }
            if (l.skuCode() == null || l.skuCode().isBlank()) {
                throw invalid("lines[" + i + "].skuCode: is required");
            }
            if (l.quantity() < 1 || l.quantity() > config.maxQuantity()) {
                throw invalid(
                        "lines["
                                + i
                                + "].quantity: must be 1-"
                                + config.maxQuantity()
                                + ", got "
                                + l.quantity());
            }
            if (l.note() != null && l.note().strip().length() > MAX_NOTE_LENGTH) {
                throw invalid(
                        "lines["
                                + i
                                + "].note: at most "
                                + MAX_NOTE_LENGTH
                                + " characters, got "
                                + l.note().strip().length());
            }
        }
        if (cmd.remark() != null && cmd.remark().strip().length() > MAX_REMARK_LENGTH) {
            throw invalid(
                    "remark: at most "
                            + MAX_REMARK_LENGTH
                            + " characters, got "
                            + cmd.remark().strip().length());
        }
        if (cmd.partySize() < 1 || cmd.partySize() > 99) {
            throw invalid("partySize: must be 1-99, got " + cmd.partySize());
        }
    }

    private static List<PlaceOrderCommand.Line> normalised(List<PlaceOrderCommand.Line> lines) {
        return lines.stream()
                .map(
                        l ->
                                new PlaceOrderCommand.Line(
                                        l.skuCode().strip(),
                                        l.quantity(),
                                        l.note() == null ? "" : l.note().strip()))
                .toList();
    }

    private static PlacementRefusedException invalid(String message) {
        return new PlacementRefusedException(Reason.INVALID_REQUEST, message);
    }
}
