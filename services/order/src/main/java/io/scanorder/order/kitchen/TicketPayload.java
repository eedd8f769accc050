package io.scanorder.order.kitchen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The ticket payload of the {@code tickets} topic, exactly as the device agent's TicketCodec reads
 * it: {@code ticketId, orderNo, storeCode, table, station, createdAt, copies, lines[name, qty,
 * spec, notes]}. Values are clipped to the agent's limits and stripped of control characters here,
 * so a long dish name prints shortened instead of the whole ticket being refused by the device.
 */
public final class TicketPayload {
    static final int MAX_LINES = 100;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TicketPayload() {}

    /** One dish of a ticket. */
    public record Line(String name, int qty, String spec, String notes) {}

    /** The JSON document for one ticket (stored in kitchen_tickets.content). */
    public static ObjectNode content(
            String ticketId,
            String orderNo,
            String storeCode,
            String table,
            String station,
            Instant createdAt,
            List<Line> lines) {
        ObjectNode root = JSON.createObjectNode();
        root.put("ticketId", ticketId)
                .put("orderNo", clip(orderNo, 32))
                .put("storeCode", storeCode)
                .put("table", clip(table, 16))
                .put("station", station)
                .put("createdAt", createdAt.toString())
                .put("copies", 1);
        ArrayNode array = root.putArray("lines");
        for (Line line : lines.subList(0, Math.min(lines.size(), MAX_LINES))) {
            array.addObject()
                    .put("name", clip(line.name(), 64))
                    .put("qty", Math.max(1, Math.min(999, line.qty())))
                    .put("spec", clip(line.spec(), 64))
                    .put("notes", clip(line.notes(), 200));
        }
        return root;
    }

    /** The bytes to publish for {@code content}, printing {@code copies} copies (1-5). */
    public static byte[] encode(JsonNode content, int copies) {
        ObjectNode copy = content.deepCopy();
        copy.put("copies", Math.max(1, Math.min(5, copies)));
        try {
            return JSON.writeValueAsBytes(copy);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a ticket JSON tree", e);
        }
    }

    /** Reads kitchen_tickets.content back. */
    public static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("kitchen_tickets.content is not JSON: " + json, e);
        }
    }

    /** Strips control characters and keeps at most {@code max} code points. */
    static String clip(String value, int max) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        value.strip()
                .codePoints()
                .filter(cp -> !Character.isISOControl(cp))
                .limit(max)
                .forEach(out::appendCodePoint);
        return out.toString();
    }
}
