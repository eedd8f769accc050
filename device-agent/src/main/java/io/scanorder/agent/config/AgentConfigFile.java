package io.scanorder.agent.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Writes keys into the agent's properties file without disturbing the rest of it (comments, other
 * keys and their order stay), as the file's owner only: it holds the MQTT password.
 */
public final class AgentConfigFile {

    /** Owner read/write, nothing for anyone else. */
    public static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    private AgentConfigFile() {}

    /** The file's properties, or none if it does not exist yet. */
    public static Properties readIfExists(Path file) {
        Properties properties = new Properties();
        if (Files.exists(file)) {
            try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read agent configuration " + file, e);
            }
        }
        return properties;
    }

    /**
     * Sets {@code values} in {@code file}: a line {@code key=...} is replaced in place, missing
     * keys are appended. The new content is written to a temporary file created owner-only in the
     * same directory and moved over the old one atomically, so a crash leaves the old file or the
     * new one and the password is never readable by others, not even for a moment.
     */
    public static void update(Path file, Map<String, String> values) {
        Path target = file.toAbsolutePath();
        List<String> lines = new ArrayList<>();
        try {
            if (Files.exists(target)) {
                lines.addAll(Files.readAllLines(target, StandardCharsets.UTF_8));
            } else if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read agent configuration " + target, e);
        }
        Map<String, String> pending = new LinkedHashMap<>(values);
        for (int i = 0; i < lines.size(); i++) {
            String key = keyOf(lines.get(i));
            if (key != null && pending.containsKey(key)) {
                lines.set(i, key + "=" + escape(pending.remove(key)));
            }
        }
        pending.forEach((k, v) -> lines.add(k + "=" + escape(v)));
        Path temp = null;
        try {
            FileAttribute<Set<PosixFilePermission>> ownerOnly =
                    PosixFilePermissions.asFileAttribute(OWNER_ONLY);
            temp = Files.createTempFile(target.getParent(), ".agent-", ".properties", ownerOnly);
            Files.write(temp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(
                        temp,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.setPosixFilePermissions(target, OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write agent configuration " + target, e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the move consumed it, or there is nothing more to do
                }
            }
        }
    }

    /** The key of a {@code key=value} or {@code key: value} line, null for comments and blanks. */
    private static String keyOf(String line) {
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#") || s.startsWith("!")) {
            return null;
        }
        int end = 0;
        while (end < s.length() && "=: \t".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        return s.substring(0, end);
    }

    /** Properties-file escaping for values: backslashes, and characters Properties would eat. */
    private static String escape(String value) {
        StringBuilder b = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\') {
                b.append("\\\\");
            } else if (i == 0 && c == ' ') {
                b.append("\\ ");
            } else if (c == '\n') {
                b.append("\\n");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
