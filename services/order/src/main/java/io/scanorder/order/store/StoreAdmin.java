package io.scanorder.order.store;

import io.scanorder.order.db.Transactions;
import io.scanorder.order.table.RegistrationResult;
import io.scanorder.order.table.StoreTables;
import io.scanorder.order.table.TableRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Applies a store's content (areas, tables, stations, order settings) in one transaction on top of
 * {@link TableRegistry}, idempotent by content hash, and reads back what was applied.
 */
@ApplicationScoped
public class StoreAdmin {
    private static final Logger LOG = Logger.getLogger(StoreAdmin.class);

    /** The store_stations check constraint (V2). */
    private static final Pattern STATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");

    private final Transactions transactions;
    private final TableRegistry tables;

    public StoreAdmin(Transactions transactions, TableRegistry tables) {
        this.transactions = transactions;
        this.tables = tables;
    }

    /**
     * Makes the store match {@code content} unless it already holds content with the same hash.
     *
     * @param contentHash the caller's hash of the content, or empty/null to compute it
     * @throws InvalidStoreException naming the first invalid field (contract field paths)
     */
    public ApplyResult apply(String contentHash, StoreContent content) {
        validate(content);
        String hash = StoreCanonical.hash(content);
        if (contentHash != null && !contentHash.isEmpty() && !contentHash.equals(hash)) {
            throw new InvalidStoreException(
                    "content_hash",
                    "does not match the content: the canonical content hashes to "
                            + hash
                            + ", got '"
                            + contentHash
                            + "'");
        }
        String json = StoreCanonical.toJson(content);
        StoreContent canonical = StoreCanonical.normalize(content);
        ApplyResult result =
                transactions.inTransaction(
                        "apply-store " + content.storeCode(),
                        c -> applyIn(c, canonical, hash, json));
        if (!result.alreadyApplied()) {
            LOG.infof(
                    "store %s applied, content %s: %d tables created, %d updated, %d disabled,"
                            + " %d in service",
                    content.storeCode(),
                    hash.substring(0, 12),
                    result.created(),
                    result.updated(),
                    result.disabled(),
                    result.enabledTables());
        }
        return result;
    }

    /**
     * What was last applied for a store.
     *
     * @throws StoreNotAppliedException when no store with the code was applied
     */
    public AppliedStore get(String storeCode) {
        return transactions.inTransaction(
                "get-store " + storeCode,
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT store_id, applied_content_hash, applied_content,"
                                            + " applied_at FROM stores WHERE store_code = ?")) {
                        ps.setString(1, storeCode);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next() || rs.getString(2) == null) {
                                throw new StoreNotAppliedException(
                                        "no store with code '"
                                                + storeCode
                                                + "' has been applied to this order service");
                            }
                            UUID storeId = rs.getObject(1, UUID.class);
                            return new AppliedStore(
                                    rs.getString(2),
                                    StoreCanonical.fromJson(rs.getString(3)),
                                    rs.getTimestamp(4).toInstant(),
                                    enabledTables(c, storeId));
                        }
                    }
                });
    }

    private ApplyResult applyIn(Connection c, StoreContent s, String hash, String json)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT store_id, applied_content_hash FROM stores WHERE store_code = ?")) {
            ps.setString(1, s.storeCode());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && hash.equals(rs.getString(2))) {
                    return new ApplyResult(
                            hash, true, 0, 0, 0, enabledTables(c, rs.getObject(1, UUID.class)));
                }
            }
        }
        RegistrationResult registered =
                tables.registerIn(
                        c,
                        new StoreTables(
                                s.storeCode(),
                                s.name(),
                                s.areas().stream()
                                        .map(
                                                a ->
                                                        new StoreTables.Area(
                                                                a.areaCode(),
                                                                a.name(),
                                                                a.seats(),
                                                                a.tableNumbers()))
                                        .toList()));
        UUID storeId;
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE stores SET timezone = ?, order_timeout_seconds = ?,"
                                + " order_limit_fen = ?, applied_content_hash = ?,"
                                + " applied_content = ?, applied_at = ?, updated_at = now()"
                                + " WHERE store_code = ? RETURNING store_id")) {
            ps.setString(1, s.timezone());
            ps.setObject(
                    2,
                    s.paymentTimeoutSeconds() == 0 ? null : s.paymentTimeoutSeconds(),
                    Types.INTEGER);
            ps.setObject(
                    3, s.maxOrderAmountFen() == 0 ? null : s.maxOrderAmountFen(), Types.BIGINT);
            ps.setString(4, hash);
            ps.setString(5, json);
            ps.setTimestamp(6, Timestamp.from(Instant.now()));
            ps.setString(7, s.storeCode());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                storeId = rs.getObject(1, UUID.class);
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM store_stations WHERE store_id = ?")) {
            ps.setObject(1, storeId);
            ps.executeUpdate();
        }
        if (!s.stations().isEmpty()) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO store_stations (store_id, station) VALUES (?, ?)")) {
                for (String station : s.stations()) {
                    ps.setObject(1, storeId);
                    ps.setString(2, station);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        return new ApplyResult(
                hash,
                false,
                registered.created(),
                registered.updated(),
                registered.disabled(),
                enabledTables(c, storeId));
    }

    private static int enabledTables(Connection c, UUID storeId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT count(*) FROM dining_tables WHERE store_id = ? AND enabled")) {
            ps.setObject(1, storeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /**
     * Checks content against the contract, naming the first problem by its field path.
     *
     * @throws InvalidStoreException on the first problem
     */
    static void validate(StoreContent s) {
        if (s == null) {
            throw new InvalidStoreException("store", "is missing");
        }
        if (s.storeCode() == null || !s.storeCode().matches("[0-9]{3}")) {
            throw new InvalidStoreException(
                    "store.store_code", "must be exactly 3 digits, got '" + s.storeCode() + "'");
        }
        text("store.name", s.name());
        if (s.timezone() == null || s.timezone().isBlank()) {
            throw new InvalidStoreException(
                    "store.timezone", "must be an IANA time zone such as Asia/Shanghai, got ''");
        }
        try {
            ZoneId.of(s.timezone());
        } catch (DateTimeException e) {
            throw new InvalidStoreException(
                    "store.timezone",
                    "must be an IANA time zone such as Asia/Shanghai, got '" + s.timezone() + "'");
        }
        if (s.areas().isEmpty()) {
            throw new InvalidStoreException("store.areas", "a store needs at least one area");
        }
        Set<String> areaCodes = new HashSet<>();
        for (int i = 0; i < s.areas().size(); i++) {
            StoreContent.Area a = s.areas().get(i);
            String path = "store.areas[" + i + "]";
            if (a.areaCode() == null || !a.areaCode().matches("[0-9]{4}")) {
                throw new InvalidStoreException(
                        path + ".area_code",
                        "must be exactly 4 digits, got '" + a.areaCode() + "'");
            }
            if (!areaCodes.add(a.areaCode())) {
                throw new InvalidStoreException(
                        path + ".area_code", "area " + a.areaCode() + " is listed twice");
            }
            text(path + ".name", a.name());
            if (a.seats() < 1 || a.seats() > 99) {
                throw new InvalidStoreException(
                        path + ".seats", "must be within 1..99, got " + a.seats());
            }
            List<Integer> numbers = a.tableNumbers();
            if (numbers.isEmpty()) {
                throw new InvalidStoreException(
                        path + ".table_numbers", "an area needs at least one table");
            }
            Set<Integer> seen = new HashSet<>();
            for (int j = 0; j < numbers.size(); j++) {
                Integer n = numbers.get(j);
                String tablePath = path + ".table_numbers[" + j + "]";
                if (n == null || n < 1 || n > 9999) {
                    throw new InvalidStoreException(tablePath, "must be within 1..9999, got " + n);
                }
                if (!seen.add(n)) {
                    throw new InvalidStoreException(
                            tablePath, "table number " + n + " is listed twice");
                }
            }
        }
        Set<String> stations = new HashSet<>();
        for (int i = 0; i < s.stations().size(); i++) {
            String station = s.stations().get(i);
            String path = "store.stations[" + i + "]";
            if (station == null || !STATION.matcher(station).matches()) {
                throw new InvalidStoreException(
                        path,
                        "must match ^[a-z0-9][a-z0-9-]{0,31}$ (lower case, at most 32"
                                + " characters), got '"
                                + station
                                + "'");
            }
            if (!stations.add(station)) {
                throw new InvalidStoreException(path, "station " + station + " is listed twice");
            }
        }
        int timeout = s.paymentTimeoutSeconds();
        if (timeout != 0 && (timeout < 60 || timeout > 86400)) {
            throw new InvalidStoreException(
                    "store.payment_timeout_seconds",
                    "must be 0 (service default) or within 60..86400, got " + timeout);
        }
        if (s.maxOrderAmountFen() < 0) {
            throw new InvalidStoreException(
                    "store.max_order_amount_fen",
                    "must be 0 (no limit) or positive, got " + s.maxOrderAmountFen());
        }
    }

    private static void text(String path, String value) {
        if (value == null || value.isBlank() || value.length() > 64) {
            throw new InvalidStoreException(
                    path,
                    "must be 1..64 characters, got "
                            + (value == null ? "none" : value.length() + " characters"));
        }
    }
}
