package io.scanorder.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scanorder.broker.auth.ReloadableCredentialStore.Changes;
import io.scanorder.broker.topic.Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialWatcherTest {

    /** Long, so that only file events (not the fallback poll) can explain a quick reload. */
    private static final Duration SLOW_POLL = Duration.ofMinutes(5);

    private static final String A = line(Principal.device("001", "A"), "a-secret");
    private static final String B = line(Principal.device("001", "B"), "b-secret");

    @TempDir Path dir;
    private final List<Changes> changes = new CopyOnWriteArrayList<>();
    private final ReloadableCredentialStore store = new ReloadableCredentialStore();
    private CredentialWatcher watcher;

    private static String line(Principal p, String password) {
        return CredentialFile.format(
                new Credential(p, PasswordHash.create(password.toCharArray(), 1_000)));
    }

    @AfterEach
    void stop() {
        if (watcher != null) {
            watcher.close();
        }
    }

    @Test
    void secretVolumeSwapOfTheDataLinkIsAppliedWithoutPolling() throws Exception {
        SecretVolume secret =
                SecretVolume.create(dir.resolve("secret"), Map.of("A", A + "\n", "B", B + "\n"));
        watcher = CredentialWatcher.start(secret.dir(), store, SLOW_POLL, changes::add);
        assertThat(store.size()).isEqualTo(2);

        secret.update(Map.of("B", B + "\n"));

        // The store swaps first and the listener hears of it right after: wait for both.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find("A").isEmpty() && !changes.isEmpty());
        assertThat(store.find("B")).isPresent();
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).revoked()).containsExactly(Principal.device("001", "A"));
    }

    @Test
    void singleFileBehindALinkIsReloadedWhenTheLinkIsSwapped() throws Exception {
        SecretVolume secret =
                SecretVolume.create(dir.resolve("secret"), Map.of("credentials", A + "\n"));
        Path file = secret.dir().resolve("credentials");
        watcher = CredentialWatcher.start(file, store, SLOW_POLL, changes::add);

        secret.update(Map.of("credentials", A + "\n" + B + "\n"));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find("B").isPresent() && !changes.isEmpty());
        assertThat(changes).hasSize(1);
        assertThat(changes.get(0).added()).containsExactly(Principal.device("001", "B"));
    }

    @Test
    void malformedChangeKeepsTheLastGoodCredentialsAndNamesFileAndLine() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, A + "\n" + B + "\n", StandardCharsets.UTF_8);
        watcher = CredentialWatcher.start(file, store, SLOW_POLL, changes::add);

        Files.writeString(
                file, "# rotated\n" + A + "\nB:device:001:not-a-hash\n", StandardCharsets.UTF_8);

        await().atMost(Duration.ofSeconds(10)).until(() -> watcher.lastError().isPresent());
        assertThat(watcher.lastError().orElseThrow())
                .startsWith(file.toAbsolutePath() + " line 3: hash of 'B'");
        assertThat(store.find("A")).isPresent();
        assertThat(store.find("B")).isPresent();
        assertThat(changes).isEmpty();
        assertThat(watcher.rejectedCount()).isEqualTo(1);

        // the same bad bytes again are not a new failure; a fix clears the error
        assertThat(watcher.reloadIfChanged()).isFalse();
        assertThat(watcher.rejectedCount()).isEqualTo(1);
        Files.writeString(file, A + "\n", StandardCharsets.UTF_8);
        await().atMost(Duration.ofSeconds(10)).until(() -> store.find("B").isEmpty());
        assertThat(watcher.lastError()).isEmpty();
    }

    @Test
    void missingPathKeepsTheLastGoodCredentialsUntilItReturns() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, A + "\n", StandardCharsets.UTF_8);
        watcher = CredentialWatcher.start(file, store, SLOW_POLL, changes::add);

        Files.delete(file);

        assertThat(watcher.reloadIfChanged()).isFalse();
        assertThat(watcher.lastError().orElseThrow()).contains("neither a file nor a directory");
        assertThat(store.find("A")).isPresent();
    }

    @Test
    void unchangedBytesAreNotAppliedTwice() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, A + "\n", StandardCharsets.UTF_8);
        watcher = CredentialWatcher.start(file, store, SLOW_POLL, changes::add);

        assertThat(watcher.reloadIfChanged()).isFalse();
        assertThat(watcher.appliedCount()).isEqualTo(1);
    }

    @Test
    void malformedFirstLoadRefusesToStart() throws Exception {
        Path file = dir.resolve("credentials");
        Files.writeString(file, A + "\nnonsense\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> CredentialWatcher.start(file, store, SLOW_POLL, changes::add))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(file.toAbsolutePath() + " line 2: expected 4");
    }
}
