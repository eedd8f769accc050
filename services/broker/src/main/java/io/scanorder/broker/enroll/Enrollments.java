package io.scanorder.broker.enroll;

import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.CredentialStore;
import io.scanorder.broker.auth.PasswordHash;
import io.scanorder.broker.enroll.EnrollmentResult.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Redeems one-time enrollment codes: a device proves it holds the code the operator issued and gets
 * its MQTT password back, once.
 *
 * <p>The broker reads what the operator wrote into each device's Secret from a directory with one
 * sub-directory per device, holding one file per Secret key (the layout of a Secret projected as a
 * volume): {@code username}, {@code password}, {@code store-code}, {@code enrollment-code-hash},
 * {@code enrollment-expires-at}. The clear-text code itself is not needed. Entries are read on
 * every attempt (attempts are rare), so new devices need no reload.
 *
 * <p>Guards: the code must match its PBKDF2 hash, must not be expired or used before (see {@link
 * EnrollmentLedger}); after {@value #MAX_FAILURES} wrong codes for one known device within {@link
 * #LOCK_WINDOW} every attempt for it is refused for the rest of that window, which caps guessing of
 * the 8-symbol code.
 */
public final class Enrollments {

    /** User name prefix of an enrollment connection: {@code enroll:<deviceId>}. */
    public static final String USERNAME_PREFIX = "enroll:";

    public static final int MAX_FAILURES = 10;
    public static final Duration LOCK_WINDOW = Duration.ofMinutes(15);

    static final String USERNAME = "username";
    static final String PASSWORD = "password";
    static final String STORE_CODE = "store-code";
    static final String CODE_HASH = "enrollment-code-hash";
    static final String EXPIRES_AT = "enrollment-expires-at";

    private final Path directory;
    private final EnrollmentLedger ledger;
    private final CredentialStore credentials;
    private final Clock clock;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    private record Failures(Instant since, int count) {}

    /** One device's enrollment entry as read from its sub-directory. */
    record Entry(
            Path source,
            String username,
            String password,
            String storeCode,
            String codeHash,
            Instant expiresAt) {}

    /**
     * @param directory one sub-directory per device Secret
     * @param ledger where redeemed codes are remembered
     * @param credentials the broker's credential store: a password is only handed out once the
     *     broker would accept it
     */
    public Enrollments(
            Path directory, EnrollmentLedger ledger, CredentialStore credentials, Clock clock) {
        this.directory = directory;
        this.ledger = ledger;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** Tries to redeem {@code code} for {@code deviceId}; never throws for a bad attempt. */
    public EnrollmentResult redeem(String deviceId, char[] code) {
        Instant now = clock.instant();
        Failures f = failures.get(deviceId);
        if (f != null && f.count() >= MAX_FAILURES && now.isBefore(f.since().plus(LOCK_WINDOW))) {
            return EnrollmentResult.refused(
                    Outcome.LOCKED,
                    "enrollment of '"
                            + deviceId
                            + "' is locked after "
                            + f.count()
                            + " wrong codes; try again after "
                            + f.since().plus(LOCK_WINDOW));
        }
        Optional<Entry> entry = find(deviceId);
        if (entry.isEmpty()) {
            // not counted: there is no code to guess, and counting would let anyone grow the map
            return EnrollmentResult.refused(
                    Outcome.WRONG_CODE,
                    "no enrollment for device '"
                            + deviceId
                            + "' under "
                            + directory
                            + " (check the KitchenDevice name and that its Secret reached the"
                            + " broker)");
        }
        Entry e = entry.get();
        if (!PasswordHash.parse(e.codeHash()).matches(code)) {
            failed(deviceId, now);
            return EnrollmentResult.refused(
                    Outcome.WRONG_CODE, "wrong enrollment code for device '" + deviceId + "'");
        }
        Optional<Instant> usedAt = ledger.usedAt(deviceId, e.codeHash());
        if (usedAt.isPresent()) {
            return used(deviceId, usedAt.get());
        }
        if (!now.isBefore(e.expiresAt())) {
            return EnrollmentResult.refused(
                    Outcome.EXPIRED,
                    "enrollment code of '" + deviceId + "' expired at " + e.expiresAt());
        }
        Optional<Credential> credential = credentials.find(deviceId);
        char[] password = e.password().toCharArray();
        if (credential.isEmpty()
                || !e.storeCode().equals(credential.get().principal().storeCode())
                || !credential.get().passwordHash().matches(password)) {
            return EnrollmentResult.refused(
                    Outcome.NOT_READY,
                    "the broker does not hold the current credential of '"
                            + deviceId
                            + "' yet; try again in a minute");
        }
        if (!ledger.markUsed(deviceId, e.codeHash(), now)) {
            return used(deviceId, ledger.usedAt(deviceId, e.codeHash()).orElse(now));
        }
        failures.remove(deviceId);
        return new EnrollmentResult(
                Outcome.GRANTED, "device '" + deviceId + "' enrolled", e.storeCode(), e.password());
    }

    private static EnrollmentResult used(String deviceId, Instant at) {
        return EnrollmentResult.refused(
                Outcome.ALREADY_USED,
                "enrollment code of '"
                        + deviceId
                        + "' was already used at "
                        + at
                        + "; delete the device's Secret so the operator issues a new one");
    }

    private void failed(String deviceId, Instant now) {
        failures.compute(
                deviceId,
                (id, old) ->
                        old == null || !now.isBefore(old.since().plus(LOCK_WINDOW))
                                ? new Failures(now, 1)
                                : new Failures(old.since(), old.count() + 1));
    }

    /**
     * Writes one device's entry the way a synced Secret looks, for local mode and tests: {@code
     * <directory>/<deviceId>/{username,password,store-code,enrollment-code-hash,
     * enrollment-expires-at}}.
     *
     * @return the entry's sub-directory
     */
    public static Path writeEntry(
            Path directory,
            String deviceId,
            String storeCode,
            String password,
            String codeHash,
            Instant expiresAt) {
        Path dir = directory.resolve(deviceId);
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(USERNAME), deviceId, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(PASSWORD), password, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(STORE_CODE), storeCode, StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(CODE_HASH), codeHash, StandardCharsets.UTF_8);
            Files.writeString(
                    dir.resolve(EXPIRES_AT), expiresAt.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write enrollment entry " + dir, e);
        }
        return dir;
    }

    /** The entry whose {@code username} file names {@code deviceId}. */
    Optional<Entry> find(String deviceId) {
        if (!Files.isDirectory(directory)) {
            return Optional.empty();
        }
        List<Path> dirs;
        try (Stream<Path> list = Files.list(directory)) {
            dirs =
                    list.filter(p -> !p.getFileName().toString().startsWith("."))
                            .filter(Files::isDirectory)
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list enrollment directory " + directory, e);
        }
        for (Path dir : dirs) {
            Optional<String> username = read(dir, USERNAME);
            if (username.isPresent() && username.get().equals(deviceId)) {
                return Optional.of(entry(dir, deviceId));
            }
        }
        return Optional.empty();
    }

    private static Entry entry(Path dir, String deviceId) {
        String password = required(dir, PASSWORD);
        String storeCode = required(dir, STORE_CODE);
        String hash = required(dir, CODE_HASH);
        String expires = required(dir, EXPIRES_AT);
        try {
            PasswordHash.parse(hash);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    dir.resolve(CODE_HASH) + " is not a valid hash: " + e.getMessage(), e);
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.parse(expires);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    dir.resolve(EXPIRES_AT)
                            + " must be an ISO instant like 2026-01-31T12:00:00Z but was '"
                            + expires
                            + "'",
                    e);
        }
        return new Entry(dir, deviceId, password, storeCode, hash, expiresAt);
    }

    private static String required(Path dir, String key) {
        return read(dir, key)
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "enrollment entry " + dir + " has no '" + key + "' file"));
    }

    private static Optional<String> read(Path dir, String key) {
        Path file = dir.resolve(key);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
