package io.scanorder.broker.extension;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.scanorder.broker.auth.ReloadableCredentialStore.Changes;
import io.scanorder.broker.topic.Principal;
import io.scanorder.broker.topic.Principal.Role;
import io.scanorder.broker.topic.TopicPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disconnects the live sessions of revoked credentials: a revoked device must not keep printing
 * tickets on a connection it opened while its password was still valid.
 */
final class RevokedSessions {

    private static final Logger LOG = LoggerFactory.getLogger(RevokedSessions.class);

    private final TopicPolicy policy;

    RevokedSessions(TopicPolicy policy) {
        this.policy = policy;
    }

    void onChange(Changes changes) {
        ClientService clients = Services.clientService();
        for (Principal revoked : changes.revoked()) {
            String reason = "credential of '" + revoked.username() + "' was revoked or replaced";
            if (revoked.role() == Role.DEVICE) {
                // a device can only ever connect with its device id as client id
                disconnect(clients, revoked.username(), reason);
            } else {
                // service accounts may use name-<suffix> client ids: find the live ones
                clients.iterateAllClients(
                        (context, session) -> {
                            String clientId = session.getClientIdentifier();
                            if (session.isConnected()
                                    && policy.clientId(revoked, clientId).allowed()) {
                                disconnect(clients, clientId, reason);
                            }
                        });
            }
        }
    }

    private static void disconnect(ClientService clients, String clientId, String reason) {
        clients.disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED, reason)
                .whenComplete(
                        (wasConnected, error) -> {
                            if (error != null) {
                                LOG.error("cannot disconnect revoked client '{}'", clientId, error);
                            } else if (wasConnected) {
                                LOG.warn("disconnected client '{}': {}", clientId, reason);
                            }
                        });
    }
}
