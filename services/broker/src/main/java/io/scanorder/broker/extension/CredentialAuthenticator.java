package io.scanorder.broker.extension;

import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.CredentialStore;
import io.scanorder.broker.enroll.EnrollmentResult;
import io.scanorder.broker.enroll.Enrollments;
import io.scanorder.broker.topic.Principal;
import io.scanorder.broker.topic.TopicPolicy;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MQTT simple auth: username + password against the credential store, then the client id rule. */
final class CredentialAuthenticator implements SimpleAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialAuthenticator.class);

    /** Printable, no topic separators or wildcards, bounded: refused before any lookup. */
    /** Client id of an enrollment connection: {@code enroll-<deviceId>}. */
    static final String ENROLL_CLIENT_PREFIX = "enroll-";

    /** CONNACK user properties of a granted enrollment. */
    static final String PROPERTY_USERNAME = "scanorder-username";

    static final String PROPERTY_STORE_CODE = "scanorder-store-code";
    static final String PROPERTY_PASSWORD = "scanorder-password";

    private static final Pattern SANE_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private final CredentialStore store;
    private final TopicPolicy policy;
    private final Executor executor;
    private final Enrollments enrollments;

    /** {@code enrollments} may be null: then {@code enroll:} connections are refused. */
    CredentialAuthenticator(
            CredentialStore store, TopicPolicy policy, Executor executor, Enrollments enrollments) {
        this.store = store;
        this.policy = policy;
        this.executor = executor;
        this.enrollments = enrollments;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        // PBKDF2 costs tens of milliseconds: never on HiveMQ's network threads.
        Async<SimpleAuthOutput> async =
                output.async(
                        Duration.ofSeconds(10),
                        TimeoutFallback.FAILURE,
                        ConnackReasonCode.SERVER_BUSY,
                        "authentication timed out");
        executor.execute(
                () -> {
                    try {
                        decide(input, async.getOutput());
                    } catch (RuntimeException e) {
                        LOG.error("authentication failed unexpectedly", e);
                        async.getOutput()
                                .failAuthentication(
                                        ConnackReasonCode.UNSPECIFIED_ERROR,
                                        "internal error during authentication");
                    } finally {
                        async.resume();
                    }
                });
    }

    private void decide(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Optional<String> username = input.getConnectPacket().getUserName();
        if (!SANE_ID.matcher(clientId).matches()) {
            refuse(
                    output,
                    ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "client id '"
                            + printable(clientId)
                            + "' is not valid: use 1-128 letters, digits, '.', '_' or '-'");
            return;
        }
        if (username.isEmpty() || username.get().isEmpty()) {
            refuse(
                    output,
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "user name is required (device id or service account name)");
            return;
        }
        String user = username.get();
        if (user.startsWith(Enrollments.USERNAME_PREFIX)) {
            enroll(input, output, user.substring(Enrollments.USERNAME_PREFIX.length()), clientId);
            return;
        }
        if (!SANE_ID.matcher(user).matches()) {
            refuse(
                    output,
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "user name '"
                            + printable(user)
                            + "' is not valid: use 1-128 letters, digits, '.', '_' or '-'");
            return;
        }
        Optional<ByteBuffer> password = input.getConnectPacket().getPassword();
        if (password.isEmpty() || !password.get().hasRemaining()) {
            refuse(
                    output,
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "password is required for user '" + user + "'");
            return;
        }
        Optional<Credential> credential = store.find(user);
        if (credential.isEmpty()) {
            refuse(
                    output,
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "unknown user '" + user + "'");
            return;
        }
        char[] candidate = decodeUtf8(password.get());
        try {
            if (candidate == null || !credential.get().passwordHash().matches(candidate)) {
                refuse(
                        output,
                        ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                        "wrong password for user '" + user + "'");
                return;
            }
        } finally {
            if (candidate != null) {
                Arrays.fill(candidate, '\0');
            }
        }
        Principal principal = credential.get().principal();
        TopicPolicy.Decision idDecision = policy.clientId(principal, clientId);
        if (!idDecision.allowed()) {
            refuse(output, ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID, idDecision.reason());
            return;
        }
        ConnectionPrincipal.put(
                input.getConnectionInformation().getConnectionAttributeStore(), principal);
        LOG.debug("authenticated {} '{}' as client '{}'", principal.role(), user, clientId);
        output.authenticateSuccessfully();
    }

    /**
     * An enrollment connection: the password is the one-time code; on success the CONNACK carries
     * the device's credentials as user properties. The connection gets no principal, so the topic
     * authorizer refuses every publish and subscription on it.
     */
    private void enroll(
            SimpleAuthInput input, SimpleAuthOutput output, String deviceId, String clientId) {
        if (enrollments == null) {
            refuse(
                    output,
                    ConnackReasonCode.NOT_AUTHORIZED,
                    "enrollment is not enabled on this broker");
            return;
        }
        if (!SANE_ID.matcher(deviceId).matches()) {
            refuse(
                    output,
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "device id '"
                            + printable(deviceId)
                            + "' in the enrollment user name is not valid");
            return;
        }
        if (!clientId.equals(ENROLL_CLIENT_PREFIX + deviceId)) {
            refuse(
                    output,
                    ConnackReasonCode.CLIENT_IDENTIFIER_NOT_VALID,
                    "enrollment of '"
                            + deviceId
                            + "' must use client id '"
                            + ENROLL_CLIENT_PREFIX
                            + deviceId
                            + "', not '"
                            + clientId
                            + "'");
            return;
        }
        Optional<ByteBuffer> password = input.getConnectPacket().getPassword();
        char[] code = password.isEmpty() ? null : decodeUtf8(password.get());
        if (code == null || code.length == 0) {
            refuse(
                    output,
                    ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD,
                    "enrollment of '" + deviceId + "' needs the code as password");
            return;
        }
        EnrollmentResult result;
        try {
            result = enrollments.redeem(deviceId, code);
        } catch (RuntimeException e) {
            // a broken entry (half-synced Secret) must not look like a wrong code to the device
            LOG.error("enrollment of '{}' failed: {}", deviceId, e.getMessage());
            refuse(
                    output,
                    ConnackReasonCode.SERVER_UNAVAILABLE,
                    "enrollment data of '" + deviceId + "' cannot be read; try again later");
            return;
        } finally {
            Arrays.fill(code, '\0');
        }
        switch (result.outcome()) {
            case GRANTED -> {
                output.getOutboundUserProperties().addUserProperty(PROPERTY_USERNAME, deviceId);
                output.getOutboundUserProperties()
                        .addUserProperty(PROPERTY_STORE_CODE, result.storeCode());
                output.getOutboundUserProperties()
                        .addUserProperty(PROPERTY_PASSWORD, result.password());
                LOG.info("enrolled device '{}' of store {}", deviceId, result.storeCode());
                output.authenticateSuccessfully();
            }
            case WRONG_CODE ->
                    refuse(output, ConnackReasonCode.BAD_USER_NAME_OR_PASSWORD, result.message());
            case ALREADY_USED -> refuse(output, ConnackReasonCode.NOT_AUTHORIZED, result.message());
            case EXPIRED ->
                    refuse(
                            output,
                            ConnackReasonCode.IMPLEMENTATION_SPECIFIC_ERROR,
                            result.message());
            case LOCKED ->
                    refuse(output, ConnackReasonCode.CONNECTION_RATE_EXCEEDED, result.message());
            case NOT_READY ->
                    refuse(output, ConnackReasonCode.SERVER_UNAVAILABLE, result.message());
        }
    }

    private static void refuse(SimpleAuthOutput output, ConnackReasonCode code, String reason) {
        LOG.warn("refused connection: {} ({})", reason, code);
        output.failAuthentication(code, reason);
    }

    /** Null if the bytes are not valid UTF-8 (which can then never match). */
    private static char[] decodeUtf8(ByteBuffer bytes) {
        try {
            CharBuffer chars =
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .onMalformedInput(CodingErrorAction.REPORT)
                            .onUnmappableCharacter(CodingErrorAction.REPORT)
                            .decode(bytes.asReadOnlyBuffer());
            char[] result = new char[chars.remaining()];
            chars.get(result);
            return result;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Keeps reason strings and logs readable whatever a client sent. */
    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7E]", "?");
    }
}
