package io.scanorder.agent.ticket;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Reads and writes the ticket payload of the {@code tickets} topic:
 *
 * <pre>
 * {"ticketId":"T-0042-hot","orderNo":"0042","storeCode":"001","table":"A12","station":"hot",
 *  "createdAt":"2025-01-01T04:34:00Z","copies":1,
 *  "lines":[{"name":"宫保鸡丁","qty":2,"spec":"大份","notes":"不要辣"}]}
 * </pre>
 *
 * Strict: every field is required ({@code spec} and {@code notes} may be empty or absent), unknown
 * fields, wrong types, control characters, out-of-range values and payloads over {@value
 * #MAX_BYTES} bytes are refused with a reason naming the field path. Refusals are counted.
 */
public final class TicketCodec {

    /** A kitchen ticket is a few hundred bytes; anything far bigger is not one. */
    public static final int MAX_BYTES = 16 * 1024;

    public static final int MAX_LINES = 100;
    public static final int MAX_COPIES = 5;
    public static final int MAX_QTY = 999;

    private static final Pattern TICKET_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern STORE_CODE = Pattern.compile("[0-9]{3}");
    private static final Pattern STATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final Set<String> TICKET_FIELDS =
            Set.of(
                    "ticketId",
                    "orderNo",
                    "storeCode",
                    "table",
                    "station",
                    "createdAt",
                    "lines",
                    "copies");
    private static final Set<String> LINE_FIELDS = Set.of("name", "qty", "spec", "notes");

    private final ObjectMapper mapper;
    private final AtomicLong rejected = new AtomicLong();

    public TicketCodec() {
        this.mapper =
                JsonMapper.builder()
                        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                        .build();
        mapper.getFactory()
                .setStreamReadConstraints(
                        StreamReadConstraints.builder()
                                .maxNestingDepth(4)
                                .maxStringLength(MAX_BYTES)
                                .maxNumberLength(12)
                                .build());
        mapper.getFactory().disable(JsonParser.Feature.ALLOW_COMMENTS);
    }

    /**
     * Parses and validates one payload.
     *
     * @throws TicketRejectedException saying which field is wrong and why
     */
    public KitchenTicket decode(byte[] payload) throws TicketRejectedException {
        try {
            return read(payload);
        } catch (TicketRejectedException e) {
            rejected.incrementAndGet();
            throw e;
        }
    }

    /** How many payloads {@link #decode(byte[])} refused. */
    public long rejectedCount() {
        return rejected.get();
    }

    private KitchenTicket read(byte[] payload) throws TicketRejectedException {
        if (payload == null || payload.length == 0) {
            throw new TicketRejectedException("ticket payload is empty");
        }
        if (payload.length > MAX_BYTES) {
            throw new TicketRejectedException(
                    "ticket payload is " + payload.length + " bytes, more than " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new TicketRejectedException(
                    "ticket payload is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TicketRejectedException("ticket payload cannot be read: " + e.getMessage());
        }
        ObjectNode ticket = object(root, "ticket");
        onlyKnown(ticket, TICKET_FIELDS, "");
        String ticketId = text(ticket, "ticketId", "ticketId", TICKET_ID, 64, true);
        String orderNo = text(ticket, "orderNo", "orderNo", null, 32, true);
        String storeCode = text(ticket, "storeCode", "storeCode", STORE_CODE, 3, true);
        String table = text(ticket, "table", "table", null, 16, true);
        String station = text(ticket, "station", "station", STATION, 32, true);
        String createdText = text(ticket, "createdAt", "createdAt", null, 40, true);
        Instant createdAt;
        try {
            createdAt = Instant.parse(createdText);
        } catch (DateTimeParseException e) {
            throw new TicketRejectedException(
                    "createdAt must be an ISO-8601 instant like 2025-01-01T04:34:00Z but was '"
                            + createdText
                            + "'");
        }
        int copies = integer(ticket, "copies", "copies", 1, MAX_COPIES);
        JsonNode linesNode = ticket.get("lines");
        if (!(linesNode instanceof ArrayNode lines)) {
            throw new TicketRejectedException("lines must be an array of dishes");
        }
        if (lines.isEmpty() || lines.size() > MAX_LINES) {
            throw new TicketRejectedException(
                    "lines must have 1 to " + MAX_LINES + " dishes but has " + lines.size());
        }
        List<KitchenTicket.Line> parsed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String path = "lines[" + i + "]";
            ObjectNode line = object(lines.get(i), path);
            onlyKnown(line, LINE_FIELDS, path + ".");
            parsed.add(
                    new KitchenTicket.Line(
                            text(line, "name", path + ".name", null, 64, true),
                            integer(line, "qty", path + ".qty", 1, MAX_QTY),
                            text(line, "spec", path + ".spec", null, 64, false),
                            text(line, "notes", path + ".notes", null, 200, false)));
        }
        return new KitchenTicket(
                ticketId, orderNo, storeCode, table, station, createdAt, parsed, copies);
    }

    /** The payload for {@code ticket}, as {@link #decode(byte[])} reads it. */
    public byte[] encode(KitchenTicket ticket) {
        ObjectNode root = mapper.createObjectNode();
        root.put("ticketId", ticket.ticketId())
                .put("orderNo", ticket.orderNo())
                .put("storeCode", ticket.storeCode())
                .put("table", ticket.table())
                .put("station", ticket.station())
                .put("createdAt", ticket.createdAt().toString())
                .put("copies", ticket.copies());
        ArrayNode lines = root.putArray("lines");
        for (KitchenTicket.Line line : ticket.lines()) {
            lines.addObject()
                    .put("name", line.name())
                    .put("qty", line.qty())
                    .put("spec", line.spec())
                    .put("notes", line.notes());
        }
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }

    private static ObjectNode object(JsonNode node, String path) throws TicketRejectedException {
        if (node instanceof ObjectNode object) {
            return object;
        }
        throw new TicketRejectedException(path + " must be a JSON object but was " + kind(node));
    }

    private static void onlyKnown(ObjectNode node, Set<String> known, String prefix)
            throws TicketRejectedException {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new TicketRejectedException("unknown field '" + prefix + name + "'");
            }
        }
    }

    private static String text(
            ObjectNode node,
            String field,
            String path,
            Pattern pattern,
            int maxLength,
            boolean required)
            throws TicketRejectedException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new TicketRejectedException(path + " is required");
            }
            return "";
        }
        if (!value.isTextual()) {
            throw new TicketRejectedException(path + " must be a string but was " + kind(value));
        }
        String text = value.textValue();
        if (required && text.isBlank()) {
            throw new TicketRejectedException(path + " must not be blank");
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            throw new TicketRejectedException(
                    path
                            + " must be at most "
                            + maxLength
                            + " characters but has "
                            + text.length());
        }
        if (text.codePoints().anyMatch(Character::isISOControl)) {
            throw new TicketRejectedException(path + " must not contain control characters");
        }
        if (pattern != null && !pattern.matcher(text).matches()) {
            throw new TicketRejectedException(
                    path + " must match " + pattern.pattern() + " but was '" + text + "'");
        }
        return text;
    }

    private static int integer(ObjectNode node, String field, String path, int min, int max)
            throws TicketRejectedException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new TicketRejectedException(path + " is required");
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new TicketRejectedException(
                    path + " must be a whole number but was " + kind(value));
        }
        int n = value.intValue();
        if (n < min || n > max) {
            throw new TicketRejectedException(
                    path + " must be between " + min + " and " + max + " but was " + n);
        }
        return n;
    }

    private static String kind(JsonNode node) {
        if (node == null) {
            return "missing";
        }
        String text = node.toString();
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT)
                + " "
                + (text.length() > 40 ? text.substring(0, 40) + "..." : text);
    }
}
