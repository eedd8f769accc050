package io.scanorder.order.menu;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * JDBC access to stores' menu revisions; every method runs on a connection given by a unit of work.
 */
final class MenuRepository {

    /** The parts of a store row menus need. */
    record StoreRow(UUID storeId, String currentRevision) {}

    private MenuRepository() {}

    static Optional<StoreRow> findStore(Connection c, String storeCode) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT store_id, current_menu_revision FROM stores WHERE store_code = ?")) {
            ps.setString(1, storeCode);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(new StoreRow(rs.getObject(1, UUID.class), rs.getString(2)))
                        : Optional.empty();
            }
        }
    }

    /** The store's kitchen stations, or empty when none are registered (then any is accepted). */
    static Optional<Set<String>> stations(Connection c, UUID storeId) throws SQLException {
        Set<String> stations = new HashSet<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT station FROM store_stations WHERE store_id = ?")) {
            ps.setObject(1, storeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stations.add(rs.getString(1));
                }
            }
        }
        return stations.isEmpty() ? Optional.empty() : Optional.of(stations);
    }

    /** Inserts a revision unless it exists; returns whether a row was written. */
    static boolean insertRevision(
            Connection c, UUID storeId, String hash, String contentJson, int itemCount)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO menu_revisions (store_id, revision_hash, content, item_count)"
                                + " VALUES (?, ?, CAST(? AS JSONB), ?)"
                                + " ON CONFLICT (store_id, revision_hash) DO NOTHING")) {
            ps.setObject(1, storeId);
            ps.setString(2, hash);
            ps.setString(3, contentJson);
            ps.setInt(4, itemCount);
            return ps.executeUpdate() == 1;
        }
    }

    static void setCurrent(Connection c, UUID storeId, String hash) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE stores SET current_menu_revision = ?, updated_at = now()"
                                + " WHERE store_id = ?")) {
            ps.setString(1, hash);
            ps.setObject(2, storeId);
            ps.executeUpdate();
        }
    }

    static Optional<StoredMenu> loadRevision(
            Connection c, String storeCode, StoreRow store, String hash) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT content, published_at FROM menu_revisions"
                                + " WHERE store_id = ? AND revision_hash = ?")) {
            ps.setObject(1, store.storeId());
            ps.setString(2, hash);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                return Optional.of(
                        new StoredMenu(
                                storeCode,
                                hash,
                                MenuCanonical.fromJson(rs.getString(1)),
                                rs.getTimestamp(2).toInstant(),
                                hash.equals(store.currentRevision())));
            }
        }
    }
}
