package io.scanorder.payment.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A pointer to a secret, {@code env:NAME} (an environment variable, e.g. from a Kubernetes Secret)
 * or {@code file:/path} (a mounted Secret file). Error messages name the reference, never the
 * secret's value.
 */
public record SecretRef(Kind kind, String location) {
    /** Where the secret lives. */
    public enum Kind {
        ENV,
        FILE
    }

    public static SecretRef parse(String key, String ref) {
        if (ref != null && ref.startsWith("env:") && ref.length() > 4) {
            String name = ref.substring(4);
            if (name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return new SecretRef(Kind.ENV, name);
            }
        } else if (ref != null && ref.startsWith("file:") && ref.length() > 5) {
            return new SecretRef(Kind.FILE, ref.substring(5));
        }
        throw new IllegalArgumentException(
                key + " must be env:VARIABLE_NAME or file:/path/to/secret, got '" + ref + "'");
    }

    /**
     * Reads the secret; a trailing newline from a mounted file is dropped since editors and {@code
     * kubectl create secret --from-file} add one.
     */
    public String resolve(String key, Function<String, String> environment) {
        String value;
        if (kind == Kind.ENV) {
            value = environment.apply(location);
            if (value == null) {
                throw new IllegalArgumentException(
                        key + " points to environment variable " + location + ", which is not set");
            }
        } else {
            try {
                value = Files.readString(Path.of(location), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        key + " points to file " + location + ", which cannot be read: " + e);
            }
        }
        return value.endsWith("\n") ? value.stripTrailing() : value;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + ":" + location;
    }
}
