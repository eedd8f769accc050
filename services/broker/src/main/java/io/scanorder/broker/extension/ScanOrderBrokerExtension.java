package io.scanorder.broker.extension;

import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import io.scanorder.broker.auth.CredentialFile;
import io.scanorder.broker.auth.CredentialStore;
import io.scanorder.broker.topic.TopicPolicy;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ScanOrder HiveMQ extension: authenticates every client against a {@link CredentialStore} and
 * confines it to its topics with {@link TopicPolicy}.
 *
 * <p>Embedded (see {@code EmbeddedBroker}) it is given a store. Installed into a HiveMQ
 * distribution it is created through the no-argument constructor and reads the credential file or
 * directory named by the environment variable {@value #CREDENTIALS_ENV}, or else {@code
 * credentials} in the extension's home folder (format: {@link CredentialFile}).
 */
public final class ScanOrderBrokerExtension implements ExtensionMain {

    /** Environment variable naming the credential file or directory of a HiveMQ install. */
    public static final String CREDENTIALS_ENV = "SCANORDER_BROKER_CREDENTIALS";

    private static final Logger LOG = LoggerFactory.getLogger(ScanOrderBrokerExtension.class);

    private final CredentialStore configuredStore;

    /** Used by a HiveMQ installation; credentials come from a file. */
    public ScanOrderBrokerExtension() {
        this(null);
    }

    /** Used when embedded; {@code store} may change while the broker runs. */
    public ScanOrderBrokerExtension(CredentialStore store) {
        this.configuredStore = store;
    }

    @Override
    public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
        CredentialStore store;
        try {
            store = configuredStore != null ? configuredStore : loadFromFile(input);
        } catch (RuntimeException e) {
            // HiveMQ then runs without an authenticator and refuses every client: fail closed.
            LOG.error("ScanOrder extension cannot load credentials: {}", e.getMessage());
            output.preventExtensionStartup("cannot load credentials: " + e.getMessage());
            return;
        }
        TopicPolicy policy = new TopicPolicy();
        CredentialAuthenticator authenticator =
                new CredentialAuthenticator(store, policy, Services.extensionExecutorService());
        TopicAuthorizer authorizer = new TopicAuthorizer(policy);
        Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        Services.securityRegistry().setAuthorizerProvider(providerInput -> authorizer);
        LOG.info("ScanOrder extension started: per-device authentication and topic policy active");
    }

    @Override
    public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
        LOG.info("ScanOrder extension stopped");
    }

    private static CredentialStore loadFromFile(ExtensionStartInput input) {
        String configured = System.getenv(CREDENTIALS_ENV);
        Path path =
                configured != null && !configured.isBlank()
                        ? Path.of(configured)
                        : input.getExtensionInformation()
                                .getExtensionHomeFolder()
                                .toPath()
                                .resolve("credentials");
        LOG.info("loading ScanOrder broker credentials from {}", path);
        return CredentialFile.load(path);
    }
}
