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
 */
final class TopicAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

    private static final Logger LOG = LoggerFactory.getLogger(TopicAuthorizer.class);

    private final TopicPolicy policy;

    TopicAuthorizer(TopicPolicy policy) {
        this.policy = policy;
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
                        : policy.publish(principal.get(), packet.getTopic(), packet.getRetain());
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
                        : policy.subscribe(principal.get(), filter);
        if (decision.allowed()) {
            output.authorizeSuccessfully();
        } else {
            LOG.warn("refused subscription: {}", decision.reason());
            output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, decision.reason());
        }
    }

    private static Decision unauthenticated(String clientId) {
        // Cannot happen while our authenticator is the only one; refuse rather than guess.
        return new Decision(false, "client '" + clientId + "' has no ScanOrder identity");
    }
}
