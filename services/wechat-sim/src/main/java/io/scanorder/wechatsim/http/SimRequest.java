package io.scanorder.wechatsim.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the simulator's APIs see it: decoded query parameters and the raw body,
 * independent of the HTTP server that received it.
 */
public final class SimRequest {
    private final String method;
    private final String path;
    private final String rawTarget;
    private final Map<String, String> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;

    public SimRequest(
            String method,
            String path,
            Map<String, String> query,
            Map<String, List<String>> headers,
            byte[] body) {
        this(method, path, path, query, headers, body);
    }

    /**
     * @param rawTarget the request target exactly as sent (still URL-encoded path, then {@code ?}
     *     and the raw query if there is one): what WeChat Pay request signatures cover
     */
    public SimRequest(
            String method,
            String path,
            String rawTarget,
            Map<String, String> query,
            Map<String, List<String>> headers,
            byte[] body) {
        this.method = method;
        this.path = path;
        this.rawTarget = rawTarget;
        this.query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
        this.headers = Collections.unmodifiableMap(headers);
        this.body = body.clone();
    }

    /** Parses a raw (still URL-encoded) query string; the first value of a repeated name wins. */
    public static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return params;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(name, value);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // A broken %-escape: keep the text as sent so validation reports it as a bad value.
            return s;
        }
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** Path and query as the client sent them, URL encoding intact. */
    public String rawTarget() {
        return rawTarget;
    }

    public Map<String, String> query() {
        return query;
    }

    /** The query parameter, or empty when it is absent or blank. */
    public Optional<String> param(String name) {
        String value = query.get(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
    }

    /** First value of a header (case-insensitive name). */
    public Optional<String> header(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                return Optional.of(e.getValue().get(0));
            }
        }
        return Optional.empty();
    }

    public byte[] body() {
        return body.clone();
    }

    public String bodyAsString() {
        return new String(body, java.nio.charset.StandardCharsets.UTF_8);
    }

    public boolean hasBody() {
        return body.length > 0;
    }
}
