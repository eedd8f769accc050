package io.scanorder.broker.extension;

import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.scanorder.broker.auth.Credential;
import io.scanorder.broker.auth.CredentialStore;
import io.scanorder.broker.topic.Principal;
import io.scanorder.broker.topic.TopicPolicy;
import io.scanorder.broker.topic.TopicPolicy.Decision;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link TopicPolicy} to every PUBLISH (including wills) and every SUBSCRIBE filter. A
 * refused publish disconnects the client (a device writing outside its topic root is broken or
 * compromised); a refused subscription gets SUBACK "not authorized" with the reason.
 *
 * <p>It also refuses clients whose credential was revoked after they connected: revocation
 * disconnects live sessions, and this closes the gap for a connection that was being authenticated
 * while the credentials changed.
 */
final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAuthorizer.class);

    private final TopicPolicy policy;
    private final CredentialStore store;

    TopicAuthorizer(TopicPolicy policy, CredentialStore store) {
        this.policy = policy;
        this.store = store;
    }

    @Override
    public void authorizePublish(PublishAuthorizerInput input, PublishAuthorizerOutput output) {
        PublishPacket packet = input.getPublishPacket();
        Optional<Principal> principal =
                ConnectionPrincipal.get(
                        input.getConnectionInformation().getConnectionAttributeStore());
        Decision decision =
                principal.isEmpty()
                        ? unauthenticated(input.getClientInformation().getClientId())
                        : stillValid(principal.get())
                                .orElseGet(
                                        () ->
                                                policy.publish(
                                                        principal.get(),
                                                        packet.getTopic(),
                                                        packet.getRetain()));
        if (decision.allowed()) {
            output.authorizeSuccessfully();
        } else {
            // HiveMQ disconnects a client whose publish is refused anyway; doing it here makes
            // our reason (who, which topic, why) the one the client and the logs see.
            LOG.warn("refused publish, disconnecting: {}", decision.reason());
            output.disconnectClient(DisconnectReasonCode.NOT_AUTHORIZED, decision.reason());
        }
    }

    @Override
    public void authorizeSubscribe(
            SubscriptionAuthorizerInput input, SubscriptionAuthorizerOutput output) {
        String filter = input.getSubscription().getTopicFilter();
        Optional<Principal> principal =
                ConnectionPrincipal.get(
                        input.getConnectionInformation().getConnectionAttributeStore());
        Decision decision =
                principal.isEmpty()
                        ? unauthenticated(input.getClientInformation().getClientId())
                        : stillValid(principal.get())
                                .orElseGet(() -> policy.subscribe(principal.get(), filter));
        if (decision.allowed()) {
            output.authorizeSuccessfully();
        } else {
            LOG.warn("refused subscription: {}", decision.reason());
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, decision.reason());
        }
    }

    /** A refusal if the principal's credential is gone or now names someone else. */
    private Optional<Decision> stillValid(Principal principal) {
        Optional<Principal> current = store.find(principal.username()).map(Credential::principal);
        if (current.isPresent() && current.get().equals(principal)) {
            return Optional.empty();
        }
        return Optional.of(
                new Decision(
                        false,
                        "credential of '" + principal.username() + "' was revoked or replaced"));
    }

    private static Decision unauthenticated(String clientId) {
        // Cannot happen while our authenticator is the only one; refuse rather than guess.
        return new Decision(false, "client '" + clientId + "' has no ScanOrder identity");
    }
}
