package io.scanorder.order.table;

import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Registers stores' areas and tables, keeps their signing keys and resolves scanned table scenes.
 * Every database access is one {@link Transactions} unit of work. Secrets stay in this class and
 * {@link TableKey}; nothing here logs them.
 */
@ApplicationScoped
public class TableRegistry {
    private final Transactions transactions;
    private final TableSettings settings;

    public TableRegistry(Transactions transactions, TableSettings settings) {
        this.transactions = transactions;
        this.settings = settings;
    }

    /**
     * Makes the store's areas and tables match {@code spec}: creates the store and its first key if
     * new, upserts areas and tables, and disables tables that are no longer listed (they are kept
     * because orders refer to them).
     *
     * @throws InvalidStoreTablesException naming the first invalid field
     */
    public RegistrationResult register(StoreTables spec) {
        validate(spec);
        return transactions.inTransaction(
                "register-store-tables " + spec.storeCode(), c -> registerIn(c, spec));
    }

    /** Adds a new signing key; codes signed with the key before it stay valid. */
    public int rotateKey(String storeCode) {
        return transactions.inTransaction(
                "rotate-table-key " + storeCode,
                c -> {
                    UUID storeId = storeId(c, storeCode);
                    int next = currentKeyVersion(c, storeId) + 1;
                    insertKey(c, storeId, TableKey.generate(next));
                    return next;
                });
    }

    /** Takes one table out of service or back in. */
    public void setTableEnabled(String storeCode, String areaCode, int tableNo, boolean enabled) {
        TableCode code = TableCode.of(storeCode, areaCode, tableNo);
        transactions.inTransaction(
                "set-table-enabled " + code,
                c -> {
                    UUID storeId = storeId(c, storeCode);
                    try (PreparedStatement st =
                            c.prepareStatement(
                                    "UPDATE dining_tables SET enabled = ?, updated_at = now()"
                                            + " WHERE store_id = ? AND area_code = ? AND table_no = ?")) {
                        st.setBoolean(1, enabled);
                        st.setObject(2, storeId);
                        st.setString(3, code.areaCode());
                        st.setString(4, code.tableNo());
                        if (st.executeUpdate() == 0) {
                            throw new TableCodeException(
                                    TableCodeError.TABLE_UNKNOWN,
                                    "store "
                                            + storeCode
                                            + " has no table "
                                            + code.tableNo()
                                            + " in area "
                                            + code.areaCode());
                        }
                    }
                    return null;
                });
    }

    /**
     * Resolves a scanned scene to its table. Checks run from cheapest to dearest and the signature
     * is verified before any area or table is looked up, so a forged code learns nothing about
     * which tables exist.
     *
     * @throws TableCodeException with the reason the scene was refused
     */
    public TableInfo resolve(String scene) {
        TableScene.Parsed parsed = TableScene.parse(scene);
        TableCode code = parsed.code();
        return transactions.inTransaction(
                "resolve-table",
                c -> {
                    String storeName;
                    UUID storeId;
                    try (PreparedStatement st =
                            c.prepareStatement(
                                    "SELECT store_id, name FROM stores WHERE store_code = ?")) {
                        st.setString(1, code.storeCode());
                        try (ResultSet rs = st.executeQuery()) {
                            if (!rs.next()) {
                                throw new TableCodeException(
                                        TableCodeError.STORE_UNKNOWN,
                                        "no store has code "
                                                + code.storeCode()
                                                + " (table code "
                                                + code.digits()
                                                + ")");
                            }
                            storeId = rs.getObject(1, UUID.class);
                            storeName = rs.getString(2);
                        }
                    }
                    List<TableKey> keys = acceptedKeys(c, storeId);
                    if (keys.isEmpty()) {
                        throw new TableCodeException(
                                TableCodeError.TABLE_CODE_SIGNATURE,
                                "store " + code.storeCode() + " has not issued table codes yet");
                    }
                    TableScene.verify(parsed, keys);
                    String areaName = areaName(c, storeId, code.storeCode(), code.areaCode());
                    try (PreparedStatement st =
                            c.prepareStatement(
                                    "SELECT seats, enabled FROM dining_tables"
                                            + " WHERE store_id = ? AND area_code = ? AND table_no = ?")) {
                        st.setObject(1, storeId);
                        st.setString(2, code.areaCode());
                        st.setString(3, code.tableNo());
                        try (ResultSet rs = st.executeQuery()) {
                            if (!rs.next()) {
                                throw new TableCodeException(
                                        TableCodeError.TABLE_UNKNOWN,
                                        "area "
                                                + code.areaCode()
                                                + " of store "
                                                + code.storeCode()
                                                + " has no table "
                                                + code.tableNo());
                            }
                            if (!rs.getBoolean(2)) {
                                throw new TableCodeException(
                                        TableCodeError.TABLE_DISABLED,
                                        "table "
                                                + code.tableNo()
                                                + " in area "
                                                + code.areaCode()
                                                + " of store "
                                                + code.storeCode()
                                                + " is out of service: please ask the staff");
                            }
                            return new TableInfo(
                                    code.storeCode(),
                                    storeName,
                                    code.areaCode(),
                                    areaName,
                                    code.tableNo(),
                                    rs.getInt(1),
                                    code.digits());
                        }
                    }
                });
    }

    /**
     * The labels of a store's enabled tables, signed with its current key.
     *
     * @param areaCode only this area, or all areas when null
     * @throws TableCodeException {@code STORE_UNKNOWN}, or {@code AREA_UNKNOWN} when the area has
     *     no enabled tables
     */
    public QrSheet sheet(String storeCode, String areaCode) {
        return transactions.inTransaction(
                "qr-sheet " + storeCode,
                c -> {
                    UUID storeId = storeId(c, storeCode);
                    String storeName;
                    try (PreparedStatement st =
                            c.prepareStatement("SELECT name FROM stores WHERE store_id = ?")) {
                        st.setObject(1, storeId);
                        try (ResultSet rs = st.executeQuery()) {
                            rs.next();
                            storeName = rs.getString(1);
                        }
                    }
                    List<TableKey> keys = acceptedKeys(c, storeId);
                    if (keys.isEmpty()) {
                        throw new TableCodeException(
                                TableCodeError.STORE_UNKNOWN,
                                "store " + storeCode + " has no tables registered");
                    }
                    TableKey current = keys.get(0);
                    List<QrSheet.Label> labels = new ArrayList<>();
                    try (PreparedStatement st =
                            c.prepareStatement(
                                    "SELECT t.area_code, a.name, t.table_no, t.seats"
                                            + " FROM dining_tables t JOIN store_areas a"
                                            + " ON a.store_id = t.store_id AND a.area_code = t.area_code"
                                            + " WHERE t.store_id = ? AND t.enabled"
                                            + " AND (? IS NULL OR t.area_code = ?)"
                                            + " ORDER BY t.area_code, t.table_no")) {
                        st.setObject(1, storeId);
                        st.setString(2, areaCode);
                        st.setString(3, areaCode);
                        try (ResultSet rs = st.executeQuery()) {
                            while (rs.next()) {
                                TableCode code =
                                        new TableCode(storeCode, rs.getString(1), rs.getString(3));
                                String scene = TableScene.sign(code, current);
                                labels.add(
                                        new QrSheet.Label(
                                                new TableInfo(
                                                        storeCode,
                                                        storeName,
                                                        code.areaCode(),
                                                        rs.getString(2),
                                                        code.tableNo(),
                                                        rs.getInt(4),
                                                        code.digits()),
                                                scene,
                                                payload(scene)));
                            }
                        }
                    }
                    if (labels.isEmpty()) {
                        throw new TableCodeException(
                                areaCode == null
                                        ? TableCodeError.TABLE_UNKNOWN
                                        : TableCodeError.AREA_UNKNOWN,
                                areaCode == null
                                        ? "store " + storeCode + " has no enabled tables"
                                        : "area "
                                                + areaCode
                                                + " of store "
                                                + storeCode
                                                + " has no enabled tables");
                    }
                    return new QrSheet(storeCode, storeName, labels);
                });
    }

    /** What a QR code encodes for a scene: the mini-program page and the scene parameter. */
    public String payload(String scene) {
        return settings.miniProgramPage() + "?scene=" + scene;
    }

    /**
     * {@link #register} inside the caller's transaction, for callers that change more of the store
     * in the same unit of work; {@code spec} must already be valid.
     */
    public RegistrationResult registerIn(Connection c, StoreTables spec) throws SQLException {
        UUID storeId;
        try (PreparedStatement st =
                c.prepareStatement(
                        "INSERT INTO stores (store_code, name) VALUES (?, ?)"
                                + " ON CONFLICT (store_code) DO UPDATE"
                                + " SET name = excluded.name, updated_at = now()"
                                + " RETURNING store_id")) {
            st.setString(1, spec.storeCode());
            st.setString(2, spec.name());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                storeId = rs.getObject(1, UUID.class);
            }
        }
        int keyVersion = currentKeyVersion(c, storeId);
        if (keyVersion == 0) {
            keyVersion = 1;
            insertKey(c, storeId, TableKey.generate(keyVersion));
        }
        try (PreparedStatement st =
                c.prepareStatement(
                        "INSERT INTO store_areas (store_id, area_code, name) VALUES (?, ?, ?)"
                                + " ON CONFLICT (store_id, area_code) DO UPDATE"
                                + " SET name = excluded.name, updated_at = now()")) {
            for (StoreTables.Area area : spec.areas()) {
                st.setObject(1, storeId);
                st.setString(2, area.code());
                st.setString(3, area.name());
                st.addBatch();
            }
            st.executeBatch();
        }

        // Existing tables keyed by "area/table" -> {seats, enabled}.
        Map<String, int[]> existing = new HashMap<>();
        try (PreparedStatement st =
                c.prepareStatement(
                        "SELECT area_code, table_no, seats, enabled FROM dining_tables"
                                + " WHERE store_id = ?")) {
            st.setObject(1, storeId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    existing.put(
                            rs.getString(1) + "/" + rs.getString(2),
                            new int[] {rs.getInt(3), rs.getBoolean(4) ? 1 : 0});
                }
            }
        }
        Map<String, TableCode> desired = new LinkedHashMap<>();
        Map<String, Integer> seats = new HashMap<>();
        for (StoreTables.Area area : spec.areas()) {
            for (int n : area.tableNumbers()) {
                TableCode code = TableCode.of(spec.storeCode(), area.code(), n);
                String key = code.areaCode() + "/" + code.tableNo();
                desired.put(key, code);
                seats.put(key, area.seats());
            }
        }
        int created = 0;
        int updated = 0;
        int disabled = 0;
        int unchanged = 0;
        try (PreparedStatement insert =
                        c.prepareStatement(
                                "INSERT INTO dining_tables"
                                        + " (store_id, area_code, table_no, table_code, seats)"
                                        + " VALUES (?, ?, ?, ?, ?)");
                PreparedStatement update =
                        c.prepareStatement(
                                "UPDATE dining_tables SET seats = ?, enabled = ?,"
                                        + " updated_at = now()"
                                        + " WHERE store_id = ? AND area_code = ? AND table_no = ?")) {
            for (Map.Entry<String, TableCode> e : desired.entrySet()) {
                TableCode code = e.getValue();
                int wantSeats = seats.get(e.getKey());
                int[] have = existing.get(e.getKey());
                if (have == null) {
                    insert.setObject(1, storeId);
                    insert.setString(2, code.areaCode());
                    insert.setString(3, code.tableNo());
                    insert.setString(4, code.digits());
                    insert.setInt(5, wantSeats);
                    insert.addBatch();
                    created++;
                } else if (have[0] != wantSeats || have[1] == 0) {
                    addUpdate(update, storeId, code.areaCode(), code.tableNo(), wantSeats, true);
                    updated++;
                } else {
                    unchanged++;
                }
            }
            for (Map.Entry<String, int[]> e : existing.entrySet()) {
                if (!desired.containsKey(e.getKey()) && e.getValue()[1] == 1) {
                    String[] place = e.getKey().split("/");
                    addUpdate(update, storeId, place[0], place[1], e.getValue()[0], false);
                    disabled++;
                }
            }
            insert.executeBatch();
            update.executeBatch();
        }
        return new RegistrationResult(created, updated, disabled, unchanged, keyVersion);
    }

    private static void addUpdate(
            PreparedStatement update,
            UUID storeId,
            String areaCode,
            String tableNo,
            int seats,
            boolean enabled)
            throws SQLException {
        update.setInt(1, seats);
        update.setBoolean(2, enabled);
        update.setObject(3, storeId);
        update.setString(4, areaCode);
        update.setString(5, tableNo);
        update.addBatch();
    }

    private static UUID storeId(Connection c, String storeCode) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement("SELECT store_id FROM stores WHERE store_code = ?")) {
            st.setString(1, storeCode);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new TableCodeException(
                            TableCodeError.STORE_UNKNOWN, "no store has code '" + storeCode + "'");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    private static String areaName(Connection c, UUID storeId, String storeCode, String areaCode)
            throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement(
                        "SELECT name FROM store_areas WHERE store_id = ? AND area_code = ?")) {
            st.setObject(1, storeId);
            st.setString(2, areaCode);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    throw new TableCodeException(
                            TableCodeError.AREA_UNKNOWN,
                            "store " + storeCode + " has no area " + areaCode);
                }
                return rs.getString(1);
            }
        }
    }

    /** The current key first, then the previous one (if any). */
    private static List<TableKey> acceptedKeys(Connection c, UUID storeId) throws SQLException {
        List<TableKey> keys = new ArrayList<>(2);
        try (PreparedStatement st =
                c.prepareStatement(
                        "SELECT key_version, secret FROM store_table_keys WHERE store_id = ?"
                                + " ORDER BY key_version DESC LIMIT 2")) {
            st.setObject(1, storeId);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    keys.add(new TableKey(rs.getInt(1), rs.getBytes(2)));
                }
            }
        }
        return keys;
    }

    private static int currentKeyVersion(Connection c, UUID storeId) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement(
                        "SELECT COALESCE(MAX(key_version), 0) FROM store_table_keys"
                                + " WHERE store_id = ?")) {
            st.setObject(1, storeId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static void insertKey(Connection c, UUID storeId, TableKey key) throws SQLException {
        try (PreparedStatement st =
                c.prepareStatement(
                        "INSERT INTO store_table_keys (store_id, key_version, secret)"
                                + " VALUES (?, ?, ?)")) {
            st.setObject(1, storeId);
            st.setInt(2, key.version());
            st.setBytes(3, key.secret());
            st.executeUpdate();
        }
    }

    /**
     * Checks a spec without touching the database.
     *
     * @throws InvalidStoreTablesException naming the first invalid field
     */
    public static void validate(StoreTables spec) {
        if (spec == null) {
            throw new InvalidStoreTablesException("store", "is missing");
        }
        String code = spec.storeCode();
        if (code == null || !code.matches("[0-9]{3}")) {
            throw new InvalidStoreTablesException(
                    "storeCode", "must be exactly 3 digits, got '" + code + "'");
        }
        if (spec.name() == null || spec.name().isBlank() || spec.name().length() > 64) {
            throw new InvalidStoreTablesException("name", "must be 1..64 characters");
        }
        if (spec.areas() == null || spec.areas().isEmpty()) {
            throw new InvalidStoreTablesException("areas", "a store needs at least one area");
        }
        Set<String> areaCodes = new HashSet<>();
        for (int i = 0; i < spec.areas().size(); i++) {
            StoreTables.Area area = spec.areas().get(i);
            String path = "areas[" + i + "]";
            if (area == null) {
                throw new InvalidStoreTablesException(path, "is null");
            }
            if (area.code() == null || !area.code().matches("[0-9]{4}")) {
                throw new InvalidStoreTablesException(
                        path + ".code", "must be exactly 4 digits, got '" + area.code() + "'");
            }
            if (!areaCodes.add(area.code())) {
                throw new InvalidStoreTablesException(
                        path + ".code", "area " + area.code() + " is listed twice");
            }
            if (area.name() == null || area.name().isBlank() || area.name().length() > 64) {
                throw new InvalidStoreTablesException(path + ".name", "must be 1..64 characters");
            }
            if (area.seats() < 1 || area.seats() > 99) {
                throw new InvalidStoreTablesException(
                        path + ".seats", "must be within 1..99, got " + area.seats());
            }
            if (area.tableNumbers() == null || area.tableNumbers().isEmpty()) {
                throw new InvalidStoreTablesException(
                        path + ".tables", "an area needs at least one table");
            }
            Set<Integer> numbers = new HashSet<>();
            for (int j = 0; j < area.tableNumbers().size(); j++) {
                Integer n = area.tableNumbers().get(j);
                String tablePath = path + ".tables[" + j + "]";
                if (n == null || n < 1 || n > 9999) {
                    throw new InvalidStoreTablesException(
                            tablePath, "table number must be within 1..9999, got " + n);
                }
                if (!numbers.add(n)) {
                    throw new InvalidStoreTablesException(
                            tablePath, "table number " + n + " is listed twice");
                }
            }
        }
    }
}
