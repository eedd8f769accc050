package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.DevicePhase;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.crds.v1alpha1.KitchenDeviceStatus;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.DeviceCredentials;
import io.scanorder.operator.model.DeviceCredentials.Issued;
import io.scanorder.operator.model.StatusAggregator;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Issues a KitchenDevice's MQTT credentials once and keeps them: the device's own Secret with the
 * clear text, the broker's Secret with only the hash; the finalizer revokes them on deletion.
 */
@ControllerConfiguration
public class KitchenDeviceReconciler implements Reconciler<KitchenDevice>, Cleaner<KitchenDevice> {
    /** Condition type: the device's credentials are issued to it and to the broker. */
    public static final String CREDENTIALS_ISSUED = "CredentialsIssued";

    /** Until the Store appears (no watch on Stores from here), look again this often. */
    static final Duration STORE_RECHECK = Duration.ofSeconds(5);

    private final Clock clock;
    private final String brokerUri;
    private final SecureRandom random = new SecureRandom();

    public KitchenDeviceReconciler(Clock clock, String brokerUri) {
        this.clock = clock;
        this.brokerUri = brokerUri;
    }

    @Override
    public UpdateControl<KitchenDevice> reconcile(
            KitchenDevice device, Context<KitchenDevice> context) {
        KubernetesClient client = context.getClient();
        String ns = device.getMetadata().getNamespace();
        String storeRef = device.getSpec().getStoreRef();
        Store store =
                storeRef == null
                        ? null
                        : client.resources(Store.class).inNamespace(ns).withName(storeRef).get();
        if (store == null) {
            status(
                    device,
                    DevicePhase.Pending,
                    null,
                    ConditionStatus.False,
                    "StoreNotFound",
                    "spec.storeRef: Store '" + storeRef + "' not found in namespace " + ns);
            return UpdateControl.patchStatus(device).rescheduleAfter(STORE_RECHECK);
        }
        String storeCode = store.getSpec() == null ? null : store.getSpec().getStoreCode();
        String prefix =
                DeviceCredentials.brokerLinePrefix(device.getMetadata().getName(), storeCode);

        Secret existing = secret(client, ns, DeviceCredentials.deviceSecretName(device));
        // Generated once: later passes reuse what the device Secret already holds.
        Issued issued =
                Issued.from(existing).orElseGet(() -> Issued.generate(random, clock.instant()));
        apply(
                client,
                existing,
                DeviceCredentials.deviceSecret(device, storeCode, brokerUri, issued));

        Secret brokerExisting = secret(client, ns, DeviceCredentials.brokerSecretName(device));
        Optional<String> line = brokerLine(brokerExisting);
        // Hashing is slow on purpose; keep the line while it names this device and store and
        // verifies the current password (it would not after the password was regenerated).
        boolean current =
                line.filter(l -> l.startsWith(prefix))
                        .filter(
                                l ->
                                        DeviceCredentials.matches(
                                                l.substring(prefix.length()), issued.password()))
                        .isPresent();
        if (!current) {
            String fresh =
                    DeviceCredentials.brokerLine(
                            device.getMetadata().getName(),
                            storeCode,
                            DeviceCredentials.hash(issued.password(), random));
            apply(client, brokerExisting, DeviceCredentials.brokerSecret(device, fresh));
        }

        KitchenDeviceStatus previous = device.getStatus();
        // Health phases (Online, Degraded, Offline) come from the device's heartbeats.
        DevicePhase phase =
                previous == null
                                || previous.getPhase() == null
                                || previous.getPhase() == DevicePhase.Pending
                        ? DevicePhase.Provisioned
                        : previous.getPhase();
        status(
                device,
                phase,
                DeviceCredentials.deviceSecretName(device),
                ConditionStatus.True,
                "CredentialsIssued",
                "Secret "
                        + DeviceCredentials.deviceSecretName(device)
                        + " holds the device credentials; Secret "
                        + DeviceCredentials.brokerSecretName(device)
                        + " the broker's hash; enrollment code valid until "
                        + issued.enrollmentExpiresAt());
        return UpdateControl.patchStatus(device);
    }

    @Override
    public DeleteControl cleanup(KitchenDevice device, Context<KitchenDevice> context) {
        // Revocation must not wait for garbage collection: the broker drops the line as soon as
        // its mounted directory no longer holds this Secret.
        String ns = device.getMetadata().getNamespace();
        context.getClient()
                .secrets()
                .inNamespace(ns)
                .withName(DeviceCredentials.brokerSecretName(device))
                .delete();
        context.getClient()
                .secrets()
                .inNamespace(ns)
                .withName(DeviceCredentials.deviceSecretName(device))
                .delete();
        return DeleteControl.defaultDelete();
    }

    @Override
    public ErrorStatusUpdateControl<KitchenDevice> updateErrorStatus(
            KitchenDevice device, Context<KitchenDevice> context, Exception e) {
        Optional<IllegalArgumentException> invalid = Secondaries.invalidSpec(e);
        status(
                device,
                DevicePhase.Pending,
                null,
                ConditionStatus.False,
                invalid.isPresent() ? "InvalidSpec" : "ReconcileFailed",
                invalid.map(Exception::getMessage).orElse(String.valueOf(e.getMessage())));
        ErrorStatusUpdateControl<KitchenDevice> control =
                ErrorStatusUpdateControl.patchStatus(device);
        return invalid.isPresent() ? control.withNoRetry() : control;
    }

    private void status(
            KitchenDevice device,
            DevicePhase phase,
            String credentialsSecret,
            ConditionStatus issued,
            String reason,
            String message) {
        KitchenDeviceStatus status =
                device.getStatus() == null ? new KitchenDeviceStatus() : device.getStatus();
        StatusAggregator conditions =
                new StatusAggregator(
                                status.getConditions(), device.getMetadata().getGeneration(), clock)
                        .set(CREDENTIALS_ISSUED, issued, reason, message);
        status.setObservedGeneration(device.getMetadata().getGeneration());
        status.setPhase(phase);
        status.setCredentialsSecret(credentialsSecret);
        status.setConditions(conditions.build());
        device.setStatus(status);
    }

    private static Secret secret(KubernetesClient client, String ns, String name) {
        return client.secrets().inNamespace(ns).withName(name).get();
    }

    private static Optional<String> brokerLine(Secret secret) {
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
    private static void apply(KubernetesClient client, Secret existing, Secret desired) {
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
