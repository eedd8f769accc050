package io.scanorder.order.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * The canonical form of a store's content and its hash, as the StoreAdmin contract defines them:
 * areas by code, table numbers ascending, stations sorted, null strings empty; compact JSON with
 * properties sorted alphabetically; lower-case hex SHA-256 of its UTF-8 bytes.
 */
public final class StoreCanonical {
    private static final ObjectMapper JSON =
            JsonMapper.builder()
                    .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
                    .disable(SerializationFeature.INDENT_OUTPUT)
                    .build();

    private StoreCanonical() {}

    /** The content in canonical order. Only call on validated content (no null list entries). */
    public static StoreContent normalize(StoreContent s) {
        return new StoreContent(
                s(s.storeCode()),
                s(s.name()),
                s(s.timezone()),
                s.areas().stream()
                        .map(
                                a ->
                                        new StoreContent.Area(
                                                s(a.areaCode()),
                                                s(a.name()),
                                                a.seats(),
                                                a.tableNumbers().stream().sorted().toList()))
                        .sorted(Comparator.comparing(StoreContent.Area::areaCode))
                        .toList(),
                s.stations().stream().map(StoreCanonical::s).sorted().toList(),
                s.paymentTimeoutSeconds(),
                s.maxOrderAmountFen());
    }

    /** Canonical JSON of the (normalized) content. */
    public static String toJson(StoreContent content) {
        try {
            return JSON.writeValueAsString(normalize(content));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("store content could not be written as JSON", e);
        }
    }

    /** Reads content written by {@link #toJson}. */
    public static StoreContent fromJson(String json) {
        try {
            return JSON.readValue(json, StoreContent.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored store content could not be read", e);
        }
    }

    /** Lower-case hex SHA-256 of the canonical JSON. */
    public static String hash(StoreContent content) {
        return sha256(toJson(content));
    }

    static String sha256(String json) {
        try {
            return HexFormat.of()
                    .formatHex(
                            MessageDigest.getInstance("SHA-256")
                                    .digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }
}
