package io.scanorder.operator.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The canonical content hash the order service's contracts define for menus and stores: compact
 * UTF-8 JSON of the message with lowerCamelCase field names sorted alphabetically, every field
 * present (empty strings and lists, zeros, false), integers as JSON numbers; then the lower-case
 * hex SHA-256 of it. Callers sort the lists whose order means nothing before hashing.
 */
public final class CanonicalJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalJson() {}

    /** The canonical JSON text of {@code message}. */
    public static String toJson(Message message) {
        try {
            return JSON.writeValueAsString(node(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("message could not be written as JSON", e);
        }
    }

    /** Lower-case hex SHA-256 of {@link #toJson}. */
    public static String sha256(Message message) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(toJson(message).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static ObjectNode node(Message message) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        List<FieldDescriptor> fields =
                message.getDescriptorForType().getFields().stream()
                        .sorted(Comparator.comparing(FieldDescriptor::getJsonName))
                        .toList();
        for (FieldDescriptor f : fields) {
            if (f.isRepeated()) {
                ArrayNode array = node.putArray(f.getJsonName());
                for (int i = 0; i < message.getRepeatedFieldCount(f); i++) {
                    array.add(value(message.getRepeatedField(f, i)));
                }
            } else {
                node.set(f.getJsonName(), value(message.getField(f)));
            }
        }
        return node;
    }

    private static JsonNode value(Object v) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (v instanceof Message m) {
            return node(m);
        } else if (v instanceof Integer i) {
            return f.numberNode(i);
        } else if (v instanceof Long l) {
            return f.numberNode(l);
        } else if (v instanceof Boolean b) {
            return f.booleanNode(b);
        } else if (v instanceof String s) {
            return f.textNode(s);
        } else if (v instanceof EnumValueDescriptor e) {
            return f.textNode(e.getName());
        }
        throw new IllegalArgumentException(
                "no canonical JSON for a field of type " + v.getClass().getName());
    }
}
