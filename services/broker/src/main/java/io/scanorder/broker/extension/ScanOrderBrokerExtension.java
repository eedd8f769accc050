package io.scanorder.broker.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.scanorder.broker.auth.CredentialFile;
import io.scanorder.broker.auth.CredentialStore;
import io.scanorder.broker.auth.CredentialWatcher;
import io.scanorder.broker.auth.ReloadableCredentialStore;
import io.scanorder.broker.enroll.EnrollmentLedger;
import io.scanorder.broker.enroll.Enrollments;
import io.scanorder.broker.topic.TopicPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ScanOrder HiveMQ extension: authenticates every client against a {@link CredentialStore} and
 * confines it to its topics with {@link TopicPolicy}.
 *
 * <p>Credentials come either from a given store (embedded, tests) or from a credential file or
 * directory (format: {@link CredentialFile}) that is watched and hot-reloaded: a revoked or
 * replaced credential is refused on its next connection and its live sessions are disconnected,
 * without restarting the broker. Installed into a HiveMQ distribution the extension is created
 * through the no-argument constructor and reads the path named by the environment variable {@value
 * #CREDENTIALS_ENV}, or else {@code credentials} in the extension's home folder.
 */
public final class ScanOrderBrokerExtension implements ExtensionMain {

    /** Environment variable naming the credential file or directory of a HiveMQ install. */
    public static final String CREDENTIALS_ENV = "SCANORDER_BROKER_CREDENTIALS";

    /**
     * Environment variable naming the enrollment directory (one sub-directory per device Secret,
     * see {@link Enrollments}); enrollment is off when neither it nor {@code enrollments} in the
     * extension's home folder exists.
     */
    public static final String ENROLLMENTS_ENV = "SCANORDER_BROKER_ENROLLMENTS";

    /** Ledger of redeemed codes, under HiveMQ's (persistent) data folder. */
    public static final String LEDGER_FILE = "scanorder/enrollments-used.ledger";

    /** How often the credentials are re-read even if no file event arrived. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(ScanOrderBrokerExtension.class);

    private final CredentialStore configuredStore;
    private final Path configuredPath;
    private final Duration pollInterval;
    private volatile CredentialWatcher watcher;
    private Path configuredEnrollments;

    /** Used by a HiveMQ installation; credentials come from a watched file. */
    public ScanOrderBrokerExtension() {
        this(null, null, DEFAULT_POLL_INTERVAL);
    }

    /** Used when embedded; {@code store} may change while the broker runs. */
    public ScanOrderBrokerExtension(CredentialStore store) {
        this(Objects.requireNonNull(store, "store"), null, DEFAULT_POLL_INTERVAL);
    }

    /** Used when embedded with credentials in a file or directory, watched for changes. */
    public ScanOrderBrokerExtension(Path credentials, Duration pollInterval) {
        this(null, Objects.requireNonNull(credentials, "credentials"), pollInterval);
    }

    private ScanOrderBrokerExtension(CredentialStore store, Path path, Duration pollInterval) {
        this.configuredStore = store;
        this.configuredPath = path;
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
    }

    /** Enables enrollment from {@code directory} (see {@link Enrollments}); call before start. */
    public ScanOrderBrokerExtension withEnrollments(Path directory) {
        this.configuredEnrollments = Objects.requireNonNull(directory, "directory");
        return this;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        TopicPolicy policy = new TopicPolicy();
        CredentialStore store;
        try {
            store = configuredStore != null ? configuredStore : watchFile(input, policy);
        } catch (RuntimeException e) {
            // HiveMQ then runs without an authenticator and refuses every client: fail closed.
            LOG.error("ScanOrder extension cannot load credentials: {}", e.getMessage());
            output.preventExtensionStartup("cannot load credentials: " + e.getMessage());
            return;
        }
        Enrollments enrollments;
        try {
            enrollments = enrollments(input, store);
        } catch (RuntimeException e) {
            LOG.error("ScanOrder extension cannot open the enrollment ledger: {}", e.getMessage());
            output.preventExtensionStartup("cannot open enrollment ledger: " + e.getMessage());
            return;
        }
        CredentialAuthenticator authenticator =
                new CredentialAuthenticator(
                        store, policy, Services.extensionExecutorService(), enrollments);
        TopicAuthorizer authorizer = new TopicAuthorizer(policy, store);
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        LOG.info("ScanOrder extension started: per-device authentication and topic policy active");
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        CredentialWatcher running = watcher;
        if (running != null) {
            running.close();
            watcher = null;
        }
        LOG.info("ScanOrder extension stopped");
    }

    /** The file watcher, if credentials come from a file and the extension is running. */
    public Optional<CredentialWatcher> credentialWatcher() {
        return Optional.ofNullable(watcher);
    }

    private CredentialStore watchFile(ExtensionStartInput input, TopicPolicy policy) {
        Path path = configuredPath != null ? configuredPath : installedPath(input);
        LOG.info("loading ScanOrder broker credentials from {}", path);
        ReloadableCredentialStore store = new ReloadableCredentialStore();
        RevokedSessions revoked = new RevokedSessions(policy);
        watcher = CredentialWatcher.start(path, store, pollInterval, revoked::onChange);
        return store;
    }

    private Enrollments enrollments(ExtensionStartInput input, CredentialStore store) {
        Path dir = configuredEnrollments;
        if (dir == null && (configuredStore != null || configuredPath != null)) {
            // embedded: enrollment only when asked for, never from a stray folder
            return null;
        }
        if (dir == null) {
            String configured = System.getenv(ENROLLMENTS_ENV);
            dir =
                    configured != null && !configured.isBlank()
                            ? Path.of(configured)
                            : input.getExtensionInformation()
                                    .getExtensionHomeFolder()
                                    .toPath()
                                    .resolve("enrollments");
            if (configured == null && !Files.isDirectory(dir)) {
                LOG.info("device enrollment is off: no {} and no {}", ENROLLMENTS_ENV, dir);
                return null;
            }
        }
        Path ledger = input.getServerInformation().getDataFolder().toPath().resolve(LEDGER_FILE);
        LOG.info("device enrollment on: entries under {}, used codes in {}", dir, ledger);
        return new Enrollments(dir, EnrollmentLedger.open(ledger), store, Clock.systemUTC());
    }

    private static Path installedPath(ExtensionStartInput input) {
        String configured = System.getenv(CREDENTIALS_ENV);
        return configured != null && !configured.isBlank()
                ? Path.of(configured)
                : input.getExtensionInformation()
                        .getExtensionHomeFolder()
                        .toPath()
                        .resolve("credentials");
    }
}
