package io.scanorder.broker.auth;

import io.scanorder.broker.topic.Principal;
import io.scanorder.broker.topic.Principal.Role;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads and writes the broker's credential files.
 *
 * <p>One user per line, four fields separated by ':'; blank lines and lines starting with '#' are
 * ignored:
 *
 * <pre>
 * # username : role    : store : password hash
 * hot-printer-1:device:001:pbkdf2-sha256$210000$&lt;salt b64&gt;$&lt;hash b64&gt;
 * order-service:service:-:pbkdf2-sha256$210000$&lt;salt b64&gt;$&lt;hash b64&gt;
 * </pre>
 *
 * <ul>
 *   <li>{@code role} is {@code device} or {@code service};
 *   <li>{@code store} is the 3-digit store code for a device and {@code -} for a service account;
 *   <li>the hash is {@link PasswordHash} (PBKDF2-HMAC-SHA256, unpadded standard Base64).
 * </ul>
 *
 * A path may name one file or a directory: every regular file in the directory whose name does not
 * start with '.' is read (so each device's Kubernetes Secret can be projected as its own file; the
 * {@code ..data} links Kubernetes adds are skipped). A later line for the same username wins.
 */
public final class CredentialFile {

    private CredentialFile() {}

    /** Reads a credential file or directory of files into a new store. */
    public static InMemoryCredentialStore load(Path path) {
        return new InMemoryCredentialStore().putAll(read(path));
    }

    /**
     * Parses every credential under {@code path}.
     *
     * @throws IllegalArgumentException naming the file, line number and field that is wrong
     */
    public static List<Credential> read(Path path) {
        List<Credential> all = new ArrayList<>();
        for (Path file : files(path)) {
            all.addAll(readFile(file));
        }
        return all;
    }

    /**
     * The files {@link #read(Path)} reads under {@code path}, in reading order: the file itself, or
     * the directory's regular files (symbolic links followed) whose names do not start with '.'.
     *
     * @throws IllegalArgumentException if {@code path} is neither a file nor a directory
     */
    public static List<Path> files(Path path) {
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                return files.filter(f -> !f.getFileName().toString().startsWith("."))
                        .filter(Files::isRegularFile)
                        .sorted()
                        .toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list credential directory " + path, e);
            }
        }
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException(
                    "credential path " + path + " is neither a file nor a directory");
        }
        return List.of(path);
    }

    private static List<Credential> readFile(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credential file " + file, e);
        }
        return parse(lines, file.toString());
    }

    /** Parses lines; {@code source} names them in error messages. */
    public static List<Credential> parse(List<String> lines, String source) {
        List<Credential> credentials = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                credentials.add(parseLine(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        source + " line " + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return credentials;
    }

    /** Parses one {@code username:role:store:hash} line. */
    public static Credential parseLine(String line) {
        String[] fields = line.split(":", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException(
                    "expected 4 ':'-separated fields username:role:store:hash but found "
                            + fields.length);
        }
        String username = fields[0].strip();
        String roleText = fields[1].strip();
        String store = fields[2].strip();
        Role role;
        try {
            role = Role.valueOf(roleText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "role of '"
                            + username
                            + "' must be 'device' or 'service' but was '"
                            + roleText
                            + "'");
        }
        if (role == Role.SERVICE && !store.equals("-")) {
            throw new IllegalArgumentException(
                    "store of service account '"
                            + username
                            + "' must be '-' but was '"
                            + store
                            + "'");
        }
        Principal principal = new Principal(username, role, role == Role.SERVICE ? null : store);
        PasswordHash hash;
        try {
            hash = PasswordHash.parse(fields[3].strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hash of '" + username + "': " + e.getMessage(), e);
        }
        return new Credential(principal, hash);
    }

    /** The line for one credential, as {@link #parseLine(String)} reads it. */
    public static String format(Credential credential) {
        Principal p = credential.principal();
        return p.username()
                + ":"
                + p.role().name().toLowerCase(Locale.ROOT)
                + ":"
                + (p.storeCode() == null ? "-" : p.storeCode())
                + ":"
                + credential.passwordHash().encode();
    }

    /**
     * Prints a credential line for a password read from standard input, e.g. {@code echo -n secret
     * | java -cp ... io.scanorder.broker.auth.CredentialFile device 001 hot-printer-1}, or {@code
     * ... service order-service}.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2
                || !(args[0].equals("device") && args.length == 3
                        || args[0].equals("service") && args.length == 2)) {
            System.err.println(
                    "usage: CredentialFile device <storeCode> <deviceId>  |  CredentialFile"
                            + " service <name>   (password on standard input)");
            System.exit(2);
        }
        Principal principal =
                args[0].equals("device")
                        ? Principal.device(args[1], args[2])
                        : Principal.service(args[1]);
        String password =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                        .readLine();
        if (password == null || password.isEmpty()) {
            System.err.println("no password on standard input");
            System.exit(2);
        }
        System.out.println(
                format(new Credential(principal, PasswordHash.create(password.toCharArray()))));
    }
}
