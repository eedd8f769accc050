package io.scanorder.broker.auth;

import io.scanorder.broker.auth.ReloadableCredentialStore.Changes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ReloadableCredentialStore} equal to a credential file or directory (format: {@link
 * CredentialFile}) while the broker runs.
 *
 * <p>It watches the directory that holds the credentials (the path itself, or a file's parent) and
 * also re-reads every poll interval, because a Kubernetes Secret volume changes by atomically
 * swapping its {@code ..data} symbolic link: the visible file names never change, only what they
 * point to. Content is compared byte for byte (SHA-256), so unchanged files are not applied twice.
 *
 * <p>A change that does not parse is not applied: the last good credentials stay active and the
 * error, naming the file and line, is logged once and kept in {@link #lastError()}.
 */
public final class CredentialWatcher implements AutoCloseable {

    /** Told about every applied change that added or revoked a credential. */
    @FunctionalInterface
    public interface Listener {
        void onChange(Changes changes);
    }

    private static final Logger LOG = LoggerFactory.getLogger(CredentialWatcher.class);

    /** Lets a burst of events (one Secret update is several renames) settle before reading. */
    private static final long SETTLE_MS = 100;

    private final Path path;
    private final ReloadableCredentialStore store;
    private final Duration pollInterval;
    private final Listener listener;
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private volatile String lastError;
    private byte[] lastFingerprint;
    private WatchService watchService;
    private Thread thread;

    private CredentialWatcher(
            Path path, ReloadableCredentialStore store, Duration pollInterval, Listener listener) {
        this.path = path.toAbsolutePath();
        this.store = Objects.requireNonNull(store, "store");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.listener = Objects.requireNonNull(listener, "listener");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive: " + pollInterval);
        }
    }

    /**
     * Loads the credentials once and then keeps watching them.
     *
     * @throws IllegalArgumentException if the first load fails (naming file and line): a broker
     *     must not start without credentials
     * @throws UncheckedIOException if the credentials cannot be read or watched
     */
    public static CredentialWatcher start(
            Path path, ReloadableCredentialStore store, Duration pollInterval, Listener listener) {
        CredentialWatcher watcher = new CredentialWatcher(path, store, pollInterval, listener);
        Snapshot first;
        try {
            first = Snapshot.read(watcher.path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read credentials under " + watcher.path, e);
        }
        store.replaceAll(first.parse());
        watcher.lastFingerprint = first.fingerprint();
        watcher.applied.incrementAndGet();
        watcher.startWatching();
        LOG.info("loaded {} credentials from {}; watching for changes", store.size(), path);
        return watcher;
    }

    private void startWatching() {
        Path dir = Files.isDirectory(path) ? path : path.getParent();
        try {
            watchService = FileSystems.getDefault().newWatchService();
            dir.register(
                    watchService,
                    StandardWatchEventKinds.ENTRY_CREATE,
                    StandardWatchEventKinds.ENTRY_MODIFY,
                    StandardWatchEventKinds.ENTRY_DELETE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch credential directory " + dir, e);
        }
        thread = new Thread(this::run, "scanorder-credential-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                WatchKey key = watchService.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
                if (key != null) {
                    Thread.sleep(SETTLE_MS);
                    key.pollEvents();
                    key.reset();
                }
                try {
                    reloadIfChanged();
                } catch (RuntimeException e) {
                    // never let one bad round end hot reload for the life of the broker
                    LOG.error("credential reload from {} failed unexpectedly", path, e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    /**
     * Reads the credentials now and applies them if their bytes changed since the last attempt.
     *
     * @return true if a new set of credentials was applied
     */
    public synchronized boolean reloadIfChanged() {
        Snapshot snapshot;
        try {
            snapshot = Snapshot.read(path);
        } catch (IOException | RuntimeException e) {
            // e.g. the path is gone, or a file vanished mid-swap: try again on the next round
            lastFingerprint = null;
            reject("cannot read credentials under " + path + ": " + e.getMessage());
            return false;
        }
        if (Arrays.equals(snapshot.fingerprint(), lastFingerprint)) {
            return false;
        }
        // remembered even when malformed, so the same bad bytes are reported only once
        lastFingerprint = snapshot.fingerprint();
        List<Credential> credentials;
        try {
            credentials = snapshot.parse();
        } catch (IllegalArgumentException e) {
            reject(e.getMessage());
            return false;
        }
        Changes changes = store.replaceAll(credentials);
        applied.incrementAndGet();
        if (lastError != null) {
            LOG.info("credentials under {} are valid again", path);
        }
        lastError = null;
        LOG.info(
                "reloaded {} credentials from {}: {} added, {} revoked {}",
                store.size(),
                path,
                changes.added().size(),
                changes.revoked().size(),
                changes.revoked().stream().map(p -> p.username()).toList());
        if (!changes.isEmpty()) {
            try {
                listener.onChange(changes);
            } catch (RuntimeException e) {
                LOG.error("credential change listener failed", e);
            }
        }
        return true;
    }

    private void reject(String error) {
        rejected.incrementAndGet();
        if (!error.equals(lastError)) {
            LOG.error(
                    "credential change NOT applied, keeping the {} last good credentials: {}",
                    store.size(),
                    error);
        }
        lastError = error;
    }

    /** Why the latest change was not applied; empty once a valid change has been applied. */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** Number of credential sets applied, the initial load included. */
    public long appliedCount() {
        return applied.get();
    }

    /** Number of reload attempts refused (unreadable or malformed). */
    public long rejectedCount() {
        return rejected.get();
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
        try {
            if (watchService != null) {
                watchService.close();
            }
        } catch (IOException e) {
            LOG.debug("closing credential watch service", e);
        }
    }

    /** The bytes of every credential file, read once so parsing and fingerprint agree. */
    private record Snapshot(Map<Path, byte[]> contents, byte[] fingerprint) {

        static Snapshot read(Path path) throws IOException {
            Map<Path, byte[]> contents = new LinkedHashMap<>();
            MessageDigest digest = sha256();
            for (Path file : CredentialFile.files(path)) {
                byte[] bytes = Files.readAllBytes(file);
                contents.put(file, bytes);
                digest.update(file.toString().getBytes(StandardCharsets.UTF_8));
                digest.update(ByteBuffer.allocate(5).put((byte) 0).putInt(bytes.length).array());
                digest.update(bytes);
            }
            return new Snapshot(contents, digest.digest());
        }

        List<Credential> parse() {
            List<Credential> all = new ArrayList<>();
            contents.forEach(
                    (file, bytes) ->
                            all.addAll(
                                    CredentialFile.parse(
                                            new String(bytes, StandardCharsets.UTF_8)
                                                    .lines()
                                                    .toList(),
                                            file.toString())));
            return all;
        }

        private static MessageDigest sha256() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is mandatory in every Java runtime", e);
            }
        }
    }
}
