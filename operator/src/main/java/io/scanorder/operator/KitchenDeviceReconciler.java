package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.DevicePhase;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.crds.v1alpha1.KitchenDeviceStatus;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.DeviceCredentials;
import io.scanorder.operator.model.DeviceCredentials.Issued;
import io.scanorder.operator.model.DeviceRegistration;
import io.scanorder.operator.model.StatusAggregator;
import io.scanorder.proto.order.v1.DeregisterDeviceRequest;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.GetDeviceHealthRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues a KitchenDevice's MQTT credentials once and keeps them: the device's own Secret with the
 * clear text, the broker's Secret with only the hash. Registers the device with its store's order
 * service and mirrors the health the service observes into the status every resync. The finalizer
 * deregisters it and revokes the credentials on deletion.
 */
@ControllerConfiguration
public class KitchenDeviceReconciler implements Reconciler<KitchenDevice>, Cleaner<KitchenDevice> {
    /** Condition type: the device's credentials are issued to it and to the broker. */
    public static final String CREDENTIALS_ISSUED = "CredentialsIssued";

    /** Until the Store appears (no watch on Stores from here), look again this often. */
    static final Duration STORE_RECHECK = Duration.ofSeconds(5);

    /** Deregistration attempts before a deletion goes ahead without it. */
    static final int DEREGISTER_ATTEMPTS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(KitchenDeviceReconciler.class);

    private final Clock clock;
    private final String brokerUri;
    private final OrderServiceChannels services;
    private final SecureRandom random = new SecureRandom();

    /** Failed deregistrations per device, so a deletion is not held up forever. */
    private final Map<ResourceID, Integer> deregisterFailures = new ConcurrentHashMap<>();

    public KitchenDeviceReconciler(Clock clock, String brokerUri, OrderServiceChannels services) {
        this.clock = clock;
        this.brokerUri = brokerUri;
        this.services = services;
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

        Secret existing = Secrets.get(client, ns, DeviceCredentials.deviceSecretName(device));
        // Generated once: later passes reuse what the device Secret already holds.
        Issued issued =
                Issued.from(existing).orElseGet(() -> Issued.generate(random, clock.instant()));
        Secrets.apply(
                client,
                existing,
                DeviceCredentials.deviceSecret(device, storeCode, brokerUri, issued));

        Secret brokerExisting = Secrets.get(client, ns, DeviceCredentials.brokerSecretName(device));
        Optional<String> line = Secrets.brokerLine(brokerExisting);
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
            Secrets.apply(client, brokerExisting, DeviceCredentials.brokerSecret(device, fresh));
        }

        KitchenDeviceStatus previous = device.getStatus();
        // Health phases (Online, Degraded, Offline) come from the order service's observations.
        DevicePhase phase =
                previous == null
                                || previous.getPhase() == null
                                || previous.getPhase() == DevicePhase.Pending
                        ? DevicePhase.Provisioned
                        : previous.getPhase();
        KitchenDeviceStatus status = previous == null ? new KitchenDeviceStatus() : previous;
        status.setPhase(phase);
        device.setStatus(status);
        Condition registered;
        Condition healthy = null;
        Duration next = services.link().deviceResync();
        try {
            DeviceHealth health = health(device, store);
            registered =
                    new Condition(
                            DeviceRegistration.REGISTERED,
                            ConditionStatus.True,
                            "Registered",
                            "registered with the order service of store "
                                    + storeCode
                                    + " for stations "
                                    + device.getSpec().getStations());
            healthy = DeviceRegistration.mirror(health, device.getSpec().getType(), status);
        } catch (StatusRuntimeException e) {
            // Keep the last observed health: an unreachable service says nothing about the device.
            registered =
                    new Condition(
                            DeviceRegistration.REGISTERED,
                            e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
                                    ? ConditionStatus.False
                                    : ConditionStatus.Unknown,
                            e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
                                    ? "RejectedByOrderService"
                                    : "OrderServiceUnreachable",
                            "order service of store "
                                    + storeCode
                                    + " at "
                                    + services.target(store)
                                    + ": "
                                    + e.getStatus().getCode()
                                    + " "
                                    + e.getStatus().getDescription());
            services.reconnectNow(store);
            next = services.link().backoff(2);
        }
        status(
                device,
                status.getPhase(),
                DeviceCredentials.deviceSecretName(device),
                ConditionStatus.True,
                "CredentialsIssued",
                "Secret "
                        + DeviceCredentials.deviceSecretName(device)
                        + " holds the device credentials; Secret "
                        + DeviceCredentials.brokerSecretName(device)
                        + " the broker's hash; enrollment code valid until "
                        + issued.enrollmentExpiresAt(),
                registered,
                healthy);
        return UpdateControl.patchStatus(device).rescheduleAfter(next);
    }

    /**
     * Registers the device when its spec changed since the last registration or the service does
     * not know it (e.g. restarted empty); otherwise only reads its health.
     */
    private DeviceHealth health(KitchenDevice device, Store store) {
        String storeCode = store.getSpec().getStoreCode();
        boolean current =
                device.getStatus() != null
                        && device.getStatus().getConditions() != null
                        && device.getStatus().getConditions().stream()
                                .anyMatch(
                                        c ->
                                                DeviceRegistration.REGISTERED.equals(c.getType())
                                                        && c.getStatus() == ConditionStatus.True
                                                        && Objects.equals(
                                                                c.getObservedGeneration(),
                                                                device.getMetadata()
                                                                        .getGeneration()));
        if (current) {
            try {
                return services.devices(store)
                        .getDeviceHealth(
                                GetDeviceHealthRequest.newBuilder()
                                        .setStoreCode(storeCode)
                                        .setDeviceId(device.getMetadata().getName())
                                        .build());
            } catch (StatusRuntimeException e) {
                if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return services.devices(store)
                .registerDevice(DeviceRegistration.request(device, storeCode));
    }

    @Override
    public DeleteControl cleanup(KitchenDevice device, Context<KitchenDevice> context) {
        // Revocation must not wait for garbage collection: the broker drops the line as soon as
        // its mounted directory no longer holds this Secret.
        String ns = device.getMetadata().getNamespace();
        Store store =
                device.getSpec() == null || device.getSpec().getStoreRef() == null
                        ? null
                        : context.getClient()
                                .resources(Store.class)
                                .inNamespace(ns)
                                .withName(device.getSpec().getStoreRef())
                                .get();
        ResourceID id = ResourceID.fromResource(device);
        if (store != null && store.getSpec() != null) {
            try {
                services.devices(store)
                        .deregisterDevice(
                                DeregisterDeviceRequest.newBuilder()
                                        .setStoreCode(store.getSpec().getStoreCode())
                                        .setDeviceId(device.getMetadata().getName())
                                        .build());
            } catch (StatusRuntimeException e) {
                int failed = deregisterFailures.merge(id, 1, Integer::sum);
                // Tickets would keep going to a device that is gone; retry a while, but do not
                // hold the deletion (and the namespace's) hostage to a service that never returns.
                if (failed < DEREGISTER_ATTEMPTS) {
                    LOG.warn(
                            "Deregistering device {} from store {} failed ({}), attempt {} of {}",
                            device.getMetadata().getName(),
                            store.getSpec().getStoreCode(),
                            e.getStatus(),
                            failed,
                            DEREGISTER_ATTEMPTS);
                    services.reconnectNow(store);
                    return DeleteControl.noFinalizerRemoval()
                            .rescheduleAfter(services.link().backoff(failed));
                }
                LOG.error(
                        "Giving up deregistering device {} from store {} after {} attempts ({});"
                                + " the order service still lists it until it is deregistered",
                        device.getMetadata().getName(),
                        store.getSpec().getStoreCode(),
                        failed,
                        e.getStatus());
            }
        }
        deregisterFailures.remove(id);
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
            String message,
            Condition... more) {
        KitchenDeviceStatus status =
                device.getStatus() == null ? new KitchenDeviceStatus() : device.getStatus();
        StatusAggregator conditions =
                new StatusAggregator(
                                status.getConditions(), device.getMetadata().getGeneration(), clock)
                        .set(CREDENTIALS_ISSUED, issued, reason, message);
        for (Condition c : more) {
            if (c != null) {
                conditions.set(c);
            }
        }
        status.setObservedGeneration(device.getMetadata().getGeneration());
        status.setPhase(phase);
        status.setCredentialsSecret(credentialsSecret);
        status.setConditions(conditions.build());
        device.setStatus(status);
    }
}
