package io.scanorder.order.placement;

import io.scanorder.order.diner.DinerSessions;
import io.scanorder.order.diner.WeChatLogin;
import io.scanorder.order.menu.Menu;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.table.StoreTables;
import io.scanorder.order.table.TableRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * Test fixture: a registered store with tables, signing key and published menu, diner sessions, and
 * order request bodies, all made through the service's own classes.
 */
final class PlacementFixture {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final DataSource dataSource;
    private final TableRegistry tables;
    private final MenuService menus;
    private final DinerSessions sessions;

    PlacementFixture(
            DataSource dataSource,
            TableRegistry tables,
            MenuService menus,
            DinerSessions sessions) {
        this.dataSource = dataSource;
        this.tables = tables;
        this.menus = menus;
        this.sessions = sessions;
    }

    /** A store, the signed scene and 12-digit code of its first table. */
    record Store(String code, String scene, String tableCode) {}

    /** A new store (code unused so far) with three tables and {@code menu} published. */
    Store store(Menu menu) throws SQLException {
        String code = freeStoreCode();
        tables.register(
                new StoreTables(
                        code,
                        "Noodle bar " + code,
                        List.of(new StoreTables.Area("0001", "Main hall", 4, List.of(1, 2, 3)))));
        menus.publish(code, "", menu);
        var label = tables.sheet(code, null).labels().get(0);
        return new Store(code, label.scene(), label.table().tableCode());
    }

    void setOrderLimit(String storeCode, long limitFen) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "UPDATE stores SET order_limit_fen = ? WHERE store_code = ?")) {
            ps.setLong(1, limitFen);
            ps.setString(2, storeCode);
            ps.executeUpdate();
        }
    }

    /** A session token for a new diner; stateless when Redis is down. */
    String token(String openid) {
        return sessions.open(new WeChatLogin.Login(openid, null, "session-key"), null).token();
    }

    static String freshOpenid() {
        return "oPlace" + System.nanoTime() + "x" + COUNTER.incrementAndGet();
    }

    static String freshKey() {
        return "key-" + System.nanoTime() + "-" + COUNTER.incrementAndGet();
    }

    /** A client address of its own, so per-IP limits of one test never hit another. */
    static String freshIp() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "10." + r.nextInt(1, 255) + "." + r.nextInt(1, 255) + "." + r.nextInt(1, 255);
    }

    /** An order body: alternating SKU codes and quantities, e.g. ("beef-noodles-l", 2). */
    static Map<String, Object> body(String scene, Object... skuAndQuantity) {
        List<Map<String, Object>> lines = new ArrayList<>();
        for (int i = 0; i < skuAndQuantity.length; i += 2) {
            lines.add(
                    Map.of(
                            "skuCode", skuAndQuantity[i],
                            "quantity", skuAndQuantity[i + 1],
                            "note", ""));
        }
        return Map.of("tableScene", scene, "lines", lines, "remark", "", "partySize", 2);
    }

    /** Number of orders stored under an idempotency key in a store. */
    int ordersWithKey(String storeCode, String key) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT count(*) FROM orders o JOIN stores s"
                                        + " ON s.store_id = o.store_id"
                                        + " WHERE s.store_code = ? AND o.idempotency_key = ?")) {
            ps.setString(1, storeCode);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The openid stored as the placer of an order. */
    String placedBy(String orderId) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT placed_by_openid FROM orders WHERE order_id = ?::UUID")) {
            ps.setString(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private String freeStoreCode() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; attempt < 500; attempt++) {
                String code = String.format("%03d", ThreadLocalRandom.current().nextInt(1000));
                try (PreparedStatement ps =
                        c.prepareStatement("SELECT 1 FROM stores WHERE store_code = ?")) {
                    ps.setString(1, code);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return code;
                        }
                    }
                }
            }
        }
        throw new IllegalStateException("no free store code left in the test database");
    }
}
