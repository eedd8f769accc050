package io.scanorder.order.cart;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.quarkus.redis.datasource.RedisDataSource;
import io.vertx.mutiny.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Carts in Redis. Each change is one Lua script, so concurrent diners never lose an update: it
 * checks limits, changes the cart hash, increments the table's version counter, refreshes the TTL
 * and publishes the new version on the table's change channel, all atomically.
 *
 * <p>Per table there are two keys with the same hash tag: the cart hash (fields {@code q:<line>} =
 * quantity, {@code m:<line>} = JSON of who added what, written once) and the version counter. The
 * counter lives longer than the cart, so a cart that is cleared or expires never goes back to an
 * earlier version that a stale checkout could match.
 */
final class CartStore {
    /** Pattern every change channel matches; the rest of the name is "store:table". */
    static final String CHANNEL_PREFIX = "scanorder:cart:chg:";

    private static final Duration VERSION_TTL = Duration.ofDays(30);
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Shared tail: bump the version, refresh both TTLs, tell every replica. */
    private static final String BUMP =
            "local v = redis.call('INCR', KEYS[2])\n"
                    + "redis.call('PEXPIRE', KEYS[2], ARGV[2])\n"
                    + "if redis.call('EXISTS', KEYS[1]) == 1 then"
                    + " redis.call('PEXPIRE', KEYS[1], ARGV[1]) end\n"
                    + "redis.call('PUBLISH', ARGV[3], v)\n";

    // ARGV: 1 ttl ms, 2 version ttl ms, 3 channel, 4 line id, 5 quantity delta, 6 meta json,
    // 7 max quantity, 8 max lines. Returns {version, quantity} or {-2, current} / {-3, lines}.
    private static final String ADD =
            "local q = redis.call('HGET', KEYS[1], 'q:' .. ARGV[4])\n"
                    + "local n\n"
                    + "if q then\n"
                    + "  n = tonumber(q) + tonumber(ARGV[5])\n"
                    + "  if n > tonumber(ARGV[7]) then return {-2, tonumber(q)} end\n"
                    + "else\n"
                    + "  local lines = math.floor(redis.call('HLEN', KEYS[1]) / 2)\n"
                    + "  if lines >= tonumber(ARGV[8]) then return {-3, lines} end\n"
                    + "  n = tonumber(ARGV[5])\n"
                    + "  redis.call('HSET', KEYS[1], 'm:' .. ARGV[4], ARGV[6])\n"
                    + "end\n"
                    + "redis.call('HSET', KEYS[1], 'q:' .. ARGV[4], n)\n"
                    + BUMP
                    + "return {v, n}";

    // ARGV 4 line id, 5 quantity. Returns {version, quantity} or {-1, 0} for no such line.
    private static final String SET =
            "if redis.call('HEXISTS', KEYS[1], 'q:' .. ARGV[4]) == 0 then return {-1, 0} end\n"
                    + "redis.call('HSET', KEYS[1], 'q:' .. ARGV[4], ARGV[5])\n"
                    + BUMP
                    + "return {v, tonumber(ARGV[5])}";

    // ARGV 4 line id. Returns {version, 0} or {-1, 0} for no such line.
    private static final String REMOVE =
            "if redis.call('HDEL', KEYS[1], 'q:' .. ARGV[4], 'm:' .. ARGV[4]) == 0 then"
                    + " return {-1, 0} end\n"
                    + BUMP
                    + "return {v, 0}";

    private static final String CLEAR = "redis.call('DEL', KEYS[1])\n" + BUMP + "return {v, 0}";

    // ARGV 4 expected version. Returns {new version, 0}, {-4, current} or {-5, current} (empty).
    private static final String CHECKOUT =
            "local cur = tonumber(redis.call('GET', KEYS[2]) or '0')\n"
                    + "if cur ~= tonumber(ARGV[4]) then return {-4, cur} end\n"
                    + "if redis.call('HLEN', KEYS[1]) == 0 then return {-5, cur} end\n"
                    + "redis.call('DEL', KEYS[1])\n"
                    + BUMP
                    + "return {v, 0}";

    private static final String READ =
            "local v = redis.call('GET', KEYS[2]) or '0'\n"
                    + "return {tonumber(v), redis.call('HGETALL', KEYS[1]),"
                    + " redis.call('PTTL', KEYS[1])}";

    /** What {@code m:<line>} holds. */
    record Meta(String sku, String note, String openid, String nickname, long addedAt) {}

    /** Outcome of a change: {@code code} >= 0 is the new version, below 0 a refusal. */
    record Outcome(long code, long value) {
        boolean ok() {
            return code >= 0;
        }
    }

    private final RedisDataSource redis;
    private final Duration ttl;

    CartStore(RedisDataSource redis, Duration ttl) {
        this.redis = redis;
        this.ttl = ttl;
    }

    static String cartKey(TableRef t) {
        return "scanorder:cart:" + t.tag();
    }

    static String versionKey(TableRef t) {
        return "scanorder:cart:" + t.tag() + ":version";
    }

    static String channel(TableRef t) {
        return CHANNEL_PREFIX + t.storeCode() + ":" + t.tableCode();
    }

    /** The table a change channel belongs to, or null for another channel. */
    static TableRef tableOfChannel(String channel) {
        if (channel == null || !channel.startsWith(CHANNEL_PREFIX)) {
            return null;
        }
        String[] parts = channel.substring(CHANNEL_PREFIX.length()).split(":");
        if (parts.length != 2 || !parts[0].matches("[0-9]{3}") || !parts[1].matches("[0-9]{12}")) {
            return null; // e.g. a replica's own ping channel
        }
        return new TableRef(parts[0], parts[1]);
    }

    /** Stable, URL-safe id of the line for this SKU and note. */
    static String lineId(String sku, String note) {
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest((sku + "\n" + note).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    CartState read(TableRef t) {
        Response reply = eval(READ, t);
        long version = reply.get(0).toLong();
        Response fields = reply.get(1);
        Map<String, String> hash = new HashMap<>();
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            hash.put(fields.get(i).toString(), fields.get(i + 1).toString());
        }
        List<CartState.Line> lines = new ArrayList<>();
        for (Map.Entry<String, String> e : hash.entrySet()) {
            if (!e.getKey().startsWith("q:")) {
                continue;
            }
            String id = e.getKey().substring(2);
            Meta meta = readMeta(hash.get("m:" + id));
            if (meta == null) {
                continue; // written by an incompatible version: not shown, dropped with the cart
            }
            lines.add(
                    new CartState.Line(
                            id,
                            meta.sku(),
                            meta.note(),
                            Integer.parseInt(e.getValue()),
                            meta.openid(),
                            meta.nickname(),
                            meta.addedAt()));
        }
        lines.sort(
                Comparator.comparingLong(CartState.Line::addedAtMillis)
                        .thenComparing(CartState.Line::lineId));
        long pttl = Long.parseLong(reply.get(2).toString());
        return new CartState(t, version, lines, pttl < 0 ? -1 : pttl);
    }

    Outcome add(TableRef t, String lineId, int delta, Meta meta, int maxQuantity, int maxLines) {
        return outcome(
                eval(
                        ADD,
                        t,
                        lineId,
                        Integer.toString(delta),
                        writeMeta(meta),
                        Integer.toString(maxQuantity),
                        Integer.toString(maxLines)));
    }

    Outcome set(TableRef t, String lineId, int quantity) {
        return outcome(eval(SET, t, lineId, Integer.toString(quantity)));
    }

    Outcome remove(TableRef t, String lineId) {
        return outcome(eval(REMOVE, t, lineId));
    }

    Outcome clear(TableRef t) {
        return outcome(eval(CLEAR, t));
    }

    Outcome clearIfVersion(TableRef t, long expectedVersion) {
        return outcome(eval(CHECKOUT, t, Long.toString(expectedVersion)));
    }

    /** Sends a message on a channel (the replica's own subscription check). */
    void publish(String channel, String message) {
        redis.execute("PUBLISH", channel, message);
    }

    private Response eval(String script, TableRef t, String... extra) {
        List<String> args = new ArrayList<>();
        args.add(script);
        args.add("2");
        args.add(cartKey(t));
        args.add(versionKey(t));
        args.add(Long.toString(ttl.toMillis()));
        args.add(Long.toString(VERSION_TTL.toMillis()));
        args.add(channel(t));
        args.addAll(List.of(extra));
        return redis.execute("EVAL", args.toArray(String[]::new));
    }

    private static Outcome outcome(Response reply) {
        return new Outcome(reply.get(0).toLong(), reply.get(1).toLong());
    }

    private static String writeMeta(Meta meta) {
        try {
            return JSON.writeValueAsString(meta);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cart line could not be written", e);
        }
    }

    private static Meta readMeta(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readValue(json, Meta.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
