package io.scanorder.order.menu;

import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Publishes and reads store menus. Publishing is idempotent by revision hash; reads of the current
 * menu go through {@link MenuCache} and fall back to the database; revisions are immutable, so
 * price snapshots taken from one never change.
 */
@ApplicationScoped
public class MenuService {
    private static final Pattern STORE_CODE = Pattern.compile("[0-9]{3}");
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");

    private final Transactions transactions;
    private final MenuCache cache;

    public MenuService(Transactions transactions, MenuCache cache) {
        this.transactions = transactions;
        this.cache = cache;
    }

    /**
     * Validates {@code menu} and makes it the store's current revision.
     *
     * @param requestedHash the publisher's hash of the content, or empty to let the service compute
     *     it; when given it must equal {@link MenuCanonical#revisionHash}
     * @throws InvalidMenuException naming the field path of every problem
     * @throws MenuNotFoundException when the store is unknown
     */
    public PublishResult publish(String storeCode, String requestedHash, Menu menu) {
        checkStoreCode(storeCode);
        if (menu == null) {
            throw new InvalidMenuException(List.of(new FieldError("menu", "is required")));
        }
        MenuValidator.check(menu, Optional.empty());
        String hash = MenuCanonical.revisionHash(menu);
        if (requestedHash != null && !requestedHash.isEmpty() && !requestedHash.equals(hash)) {
            throw new InvalidMenuException(
                    List.of(
                            new FieldError(
                                    "revision_hash",
                                    "'"
                                            + requestedHash
                                            + "' does not match the menu content, whose hash is "
                                            + hash)));
        }
        String json = MenuCanonical.toJson(menu);
        PublishResult result =
                transactions.inTransaction(
                        "publish-menu",
                        c -> {
                            MenuRepository.StoreRow store =
                                    MenuRepository.findStore(c, storeCode)
                                            .orElseThrow(() -> unknownStore(storeCode));
                            // Stations are checked here because only the database knows them.
                            MenuValidator.check(menu, MenuRepository.stations(c, store.storeId()));
                            boolean inserted =
                                    MenuRepository.insertRevision(
                                            c, store.storeId(), hash, json, menu.itemCount());
                            if (!hash.equals(store.currentRevision())) {
                                // Also re-activates an older revision published again.
                                MenuRepository.setCurrent(c, store.storeId(), hash);
                            }
                            return new PublishResult(hash, !inserted, menu.itemCount());
                        });
        // After commit: a unit of work may run more than once and must not touch Redis.
        cache.invalidate(storeCode);
        return result;
    }

    /** The menu in force for a store (from the cache when possible). */
    public StoredMenu current(String storeCode) {
        checkStoreCode(storeCode);
        Optional<String> cachedHash = cache.currentHash(storeCode);
        if (cachedHash.isPresent()) {
            Optional<StoredMenu> cached = cache.revision(storeCode, cachedHash.get(), true);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        StoredMenu menu =
                transactions.inTransaction(
                        "read-current-menu",
                        c -> {
                            MenuRepository.StoreRow store =
                                    MenuRepository.findStore(c, storeCode)
                                            .orElseThrow(() -> unknownStore(storeCode));
                            if (store.currentRevision() == null) {
                                throw new MenuNotFoundException(
                                        "store " + storeCode + " has no published menu");
                            }
                            return MenuRepository.loadRevision(
                                            c, storeCode, store, store.currentRevision())
                                    .orElseThrow(
                                            () ->
                                                    new IllegalStateException(
                                                            "store "
                                                                    + storeCode
                                                                    + " points at missing revision "
                                                                    + store.currentRevision()));
                        });
        cache.put(menu);
        return menu;
    }

    /** A given revision of a store's menu, current or not. */
    public StoredMenu revision(String storeCode, String hash) {
        checkStoreCode(storeCode);
        if (hash == null || !HASH.matcher(hash).matches()) {
            throw new InvalidMenuException(
                    List.of(
                            new FieldError(
                                    "revision_hash",
                                    "must be 64 lower-case hex digits, got '" + hash + "'")));
        }
        return transactions.inTransaction(
                "read-menu-revision",
                c -> {
                    MenuRepository.StoreRow store =
                            MenuRepository.findStore(c, storeCode)
                                    .orElseThrow(() -> unknownStore(storeCode));
                    return MenuRepository.loadRevision(c, storeCode, store, hash)
                            .orElseThrow(
                                    () ->
                                            new MenuNotFoundException(
                                                    "store "
                                                            + storeCode
                                                            + " has no menu revision "
                                                            + hash));
                });
    }

    /**
     * Resolves SKU and combo codes to what an order line must keep, from one revision. The result
     * follows the order of {@code codes} (duplicates collapse).
     *
     * @throws InvalidMenuException naming every code the revision does not sell
     */
    public Map<String, PriceSnapshot> snapshot(
            String storeCode, String revisionHash, Collection<String> codes) {
        return snapshot(revision(storeCode, revisionHash), codes);
    }

    /** As {@link #snapshot(String, String, Collection)}, from a revision already read. */
    public static Map<String, PriceSnapshot> snapshot(StoredMenu stored, Collection<String> codes) {
        Map<String, PriceSnapshot> skus = new HashMap<>();
        for (Menu.Item item : stored.menu().items()) {
            for (Menu.Sku sku : item.skus()) {
                skus.put(
                        sku.skuCode(),
                        new PriceSnapshot(
                                stored.revisionHash(),
                                sku.skuCode(),
                                item.spuCode(),
                                item.name(),
                                sku.spec(),
                                sku.priceFen(),
                                item.station(),
                                item.prepMinutes(),
                                item.soldOut(),
                                List.of()));
            }
        }
        Map<String, PriceSnapshot> combos = new HashMap<>();
        for (Menu.Combo combo : stored.menu().combos()) {
            List<PriceSnapshot.ComboPart> parts = new ArrayList<>();
            boolean soldOut = false;
            int prep = 0;
            for (Menu.Component part : combo.components()) {
                PriceSnapshot sku = skus.get(part.skuCode());
                parts.add(
                        new PriceSnapshot.ComboPart(
                                sku.code(),
                                sku.name(),
                                sku.spec(),
                                part.quantity(),
                                sku.station(),
                                sku.prepMinutes()));
                soldOut |= sku.soldOut();
                prep = Math.max(prep, sku.prepMinutes());
            }
            combos.put(
                    combo.comboCode(),
                    new PriceSnapshot(
                            stored.revisionHash(),
                            combo.comboCode(),
                            combo.comboCode(),
                            combo.name(),
                            "",
                            combo.priceFen(),
                            "",
                            prep,
                            soldOut,
                            parts));
        }
        Map<String, PriceSnapshot> result = new LinkedHashMap<>();
        List<FieldError> unknown = new ArrayList<>();
        int i = 0;
        for (String code : codes) {
            PriceSnapshot s = skus.containsKey(code) ? skus.get(code) : combos.get(code);
            if (s == null) {
                unknown.add(
                        new FieldError(
                                "codes[" + i + "]",
                                "'"
                                        + code
                                        + "' is not sold in menu revision "
                                        + stored.revisionHash()));
            } else {
                result.put(code, s);
            }
            i++;
        }
        if (!unknown.isEmpty()) {
            throw new InvalidMenuException(unknown);
        }
        return result;
    }

    private static void checkStoreCode(String storeCode) {
        if (storeCode == null || !STORE_CODE.matcher(storeCode).matches()) {
            throw new InvalidMenuException(
                    List.of(
                            new FieldError(
                                    "store_code", "must be 3 digits, got '" + storeCode + "'")));
        }
    }

    private static MenuNotFoundException unknownStore(String storeCode) {
        return new MenuNotFoundException("store " + storeCode + " is not known");
    }
}
