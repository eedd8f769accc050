package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.scanorder.operator.model.DeviceCredentials;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads and writes the credential Secrets the operator issues, by name and without a watch: an
 * issued password is read back from the API server, never regenerated from a stale cache.
 */
final class Secrets {
    private Secrets() {}

    static Secret get(KubernetesClient client, String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    /** The credential line of a broker Secret, if it has one. */
    static Optional<String> brokerLine(Secret secret) {
        if (secret == null
                || secret.getData() == null
                || secret.getData().get(DeviceCredentials.BROKER_KEY) == null) {
            return Optional.empty();
        }
        return Optional.of(
                DeviceCredentials.decode(secret.getData().get(DeviceCredentials.BROKER_KEY))
                        .strip());
    }

    /** Creates the Secret, or replaces it when its content or labels differ. */
    static void apply(KubernetesClient client, Secret existing, Secret desired) {
        if (existing == null) {
            client.resource(desired).create();
            return;
        }
        if (Objects.equals(existing.getData(), desired.getData())
                && Objects.equals(
                        existing.getMetadata().getLabels(), desired.getMetadata().getLabels())) {
            return;
        }
        desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
        client.resource(desired).update();
    }
}
