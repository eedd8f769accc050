package io.scanorder.operator;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.crds.v1alpha1.StoreStatus;
import io.scanorder.operator.model.DeviceCredentials;
import io.scanorder.operator.model.MenuPublication;
import io.scanorder.operator.model.OperatorConfig;
import io.scanorder.operator.model.OrderBrokerAccount;
import io.scanorder.operator.model.PaymentDataKeys;
import io.scanorder.operator.model.StatusAggregator;
import io.scanorder.operator.model.StoreConfig;
import io.scanorder.operator.model.StoreDefinitions;
import io.scanorder.operator.model.StoreDevices;
import io.scanorder.operator.model.StoreEvents;
import io.scanorder.operator.model.StoreNames;
import io.scanorder.operator.model.StoreService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reconciles a Store: applies its dependents, applies its areas, tables and order settings to its
 * order service over gRPC (StoreAdmin), then reports what exists in the status.
 */
@ControllerConfiguration
@Workflow(
        dependents = {
            @Dependent(type = StoreConfigMapDependent.class),
            @Dependent(type = OrderServiceDeploymentDependent.class),
            @Dependent(type = OrderServiceServiceDependent.class),
            @Dependent(
                    type = OrderServiceAutoscalerDependent.class,
                    reconcilePrecondition = OrderServiceAutoscalerDependent.PeakDeclared.class),
            @Dependent(type = OrderServiceDisruptionBudgetDependent.class),
            @Dependent(type = PaymentServiceDeploymentDependent.class),
            @Dependent(type = PaymentServiceServiceDependent.class),
            @Dependent(type = PaymentServiceDisruptionBudgetDependent.class),
            @Dependent(type = PaymentNetworkPolicyDependent.class)
        })
public class StoreReconciler implements Reconciler<Store> {
    private static final Logger LOG = LoggerFactory.getLogger(StoreReconciler.class);
    private static final String MENU_INDEX = "menuRef";
    private final Clock clock;
    private final OrderServiceChannels services;

    /** Consecutive failed attempts to reach each store's order service, for the retry backoff. */
    private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

    /** MQTT URI order services dispatch through, or null: then they get no broker account. */
    private final String serviceBrokerUri;

    private final SecureRandom random = new SecureRandom();

    /**
     * Per store, the fingerprint of the broker line and password last verified: a Store reconciles
     * on every device status change, and a PBKDF2 check each time would cost the operator ~0.1 s of
     * CPU per pass.
     */
    private final Map<ResourceID, String> verifiedLines = new ConcurrentHashMap<>();

    public StoreReconciler(Clock clock, OrderServiceChannels services) {
        this(clock, services, OperatorConfig.fromEnv(System.getenv()).serviceBrokerUri());
    }

    public StoreReconciler(Clock clock, OrderServiceChannels services, String serviceBrokerUri) {
        this.clock = clock;
        this.services = services;
        this.serviceBrokerUri = serviceBrokerUri;
    }

    @Override
    public UpdateControl<Store> reconcile(Store store, Context<Store> context) {
        if (serviceBrokerUri != null) {
            applyOrderBrokerAccount(store, context.getClient());
        }
        applyPaymentDataKeys(store, context.getClient());
        boolean applied = context.getSecondaryResource(ConfigMap.class).isPresent();
        Condition orderReady = Secondaries.readiness(store, context, StoreService.ORDER);
        TablesRound tables = publishTables(store, context, orderReady);
        StatusAggregator conditions =
                aggregator(store)
                        .set(
                                ConditionType.CONFIG_READY,
                                applied ? ConditionStatus.True : ConditionStatus.Unknown,
                                applied ? "ConfigMapApplied" : "ConfigMapPending",
                                "ConfigMap "
                                        + StoreNames.configMapName(store)
                                        + (applied ? " is up to date" : " not seen yet"))
                        .set(orderReady)
                        .set(
                                StoreEvents.TABLES_PUBLISHED,
                                tables.status(),
                                tables.reason(),
                                tables.message())
                        .set(Secondaries.readiness(store, context, StoreService.PAYMENT))
                        .set(MenuPublication.condition(store, menu(store, context)))
                        .set(StoreDevices.condition(store, devices(store, context)));
        StoreStatus status = status(store, conditions);
        List<KitchenDevice> devices = devices(store, context);
        status.setDevicesTotal(devices.size());
        status.setDevicesOnline(StoreDevices.online(devices));
        status.setTableCount(StoreConfig.tableCount(store.getSpec()));
        status.setEndpoints(StoreNames.endpoints(store));
        UpdateControl<Store> control = UpdateControl.patchStatus(store);
        return tables.retry() == null ? control : control.rescheduleAfter(tables.retry());
    }

    /** The TablesPublished condition of one round, and when to look again (null: on change). */
    private record TablesRound(
            ConditionStatus status, String reason, String message, Duration retry) {}

    /**
     * Applies the store's areas, tables and order settings to its order service once that is ready
     * (or, with a fixed target in local mode and tests, at once), then every resync, so a service
     * that restarted on an empty database gets them back.
     */
    private TablesRound publishTables(Store store, Context<Store> context, Condition orderReady) {
        ResourceID id = ResourceID.fromResource(store);
        if (orderReady.getStatus() != ConditionStatus.True
                && services.link().targetOverride() == null) {
            failures.remove(id);
            return new TablesRound(
                    ConditionStatus.Unknown,
                    "OrderServiceNotReady",
                    "areas and tables are applied once the order service is ready: "
                            + orderReady.getMessage(),
                    null);
        }
        String where =
                "order service of store "
                        + store.getMetadata().getName()
                        + " ("
                        + store.getSpec().getStoreCode()
                        + ") at "
                        + services.target(store);
        try {
            StorePublisher.Outcome outcome =
                    StorePublisher.publish(
                            services.storeAdmin(store), StoreDefinitions.toProto(store));
            failures.remove(id);
            if (outcome.applied()) {
                LOG.info(
                        "Store {} applied to the {}: {}, {} tables in service, content {}",
                        store.getMetadata().getName(),
                        where,
                        outcome.summary(),
                        outcome.enabledTables(),
                        outcome.contentHash());
            }
            return new TablesRound(
                    ConditionStatus.True,
                    "TablesPublished",
                    outcome.enabledTables()
                            + " tables in service at the "
                            + where
                            + ", content "
                            + outcome.contentHash().substring(0, 12),
                    services.link().menuResync());
        } catch (StatusRuntimeException e) {
            String answer =
                    e.getStatus().getCode()
                            + (e.getStatus().getDescription() == null
                                    ? ""
                                    : " " + e.getStatus().getDescription());
            if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
                // The service's validation refused the spec: retrying cannot help, an edit can.
                failures.remove(id);
                String message = "the " + where + " refused the store: " + answer;
                try {
                    context.getClient()
                            .resource(StoreEvents.tablesRejected(store, message, clock))
                            .create();
                } catch (RuntimeException alreadyRecorded) {
                    LOG.debug(
                            "Event for {} not recorded: {}", message, alreadyRecorded.getMessage());
                }
                return new TablesRound(
                        ConditionStatus.False, "RejectedByOrderService", message, null);
            }
            int failed = failures.merge(id, 1, Integer::sum);
            Duration delay = services.link().backoff(failed);
            services.reconnectNow(store);
            LOG.warn("Store {} not applied: {}", store.getMetadata().getName(), e.getStatus());
            return new TablesRound(
                    ConditionStatus.False,
                    "OrderServiceUnreachable",
                    "the "
                            + where
                            + " answered "
                            + answer
                            + "; attempt "
                            + failed
                            + ", retrying in "
                            + String.format(Locale.ROOT, "%.1fs", delay.toMillis() / 1000.0),
                    delay);
        }
    }

    /**
     * The order service's broker account, issued once: read back by name (no watch, so a password
     * is never regenerated from a stale cache), only the hash given to the broker.
     */
    private void applyOrderBrokerAccount(Store store, KubernetesClient client) {
        String ns = store.getMetadata().getNamespace();
        Secret account = Secrets.get(client, ns, StoreNames.orderBrokerSecretName(store));
        Secret hash = Secrets.get(client, ns, StoreNames.orderBrokerHashSecretName(store));
        ResourceID id = ResourceID.fromResource(store);
        OrderBrokerAccount.Desired desired =
                OrderBrokerAccount.desired(
                        store,
                        account,
                        Secrets.brokerLine(hash).orElse(null),
                        random,
                        (encoded, password) -> {
                            String fingerprint = OrderBrokerAccount.fingerprint(encoded, password);
                            if (fingerprint.equals(verifiedLines.get(id))) {
                                return true;
                            }
                            boolean matches = DeviceCredentials.matches(encoded, password);
                            if (matches) {
                                verifiedLines.put(id, fingerprint);
                            }
                            return matches;
                        });
        Secrets.apply(client, account, desired.account());
        Secrets.apply(client, hash, desired.brokerHash());
    }

    /** The payment service's data keys: generated once, then only read (see PaymentDataKeys). */
    private void applyPaymentDataKeys(Store store, KubernetesClient client) {
        Secret existing =
                Secrets.get(
                        client,
                        store.getMetadata().getNamespace(),
                        StoreNames.paymentDataSecretName(store));
        Secrets.apply(client, existing, PaymentDataKeys.desired(store, existing, random));
    }

    @Override
    public List<EventSource<?, Store>> prepareEventSources(EventSourceContext<Store> context) {
        // Stores are found by the menu they reference, so a Menu's status change (published,
        // invalid) reaches every store that sells it.
        context.getPrimaryCache()
                .addIndexer(
                        MENU_INDEX,
                        s ->
                                s.getSpec() == null || s.getSpec().getMenuRef() == null
                                        ? List.of()
                                        : List.of(
                                                s.getMetadata().getNamespace()
                                                        + "/"
                                                        + s.getSpec().getMenuRef()));
        return List.of(
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Menu.class, Store.class)
                                .withSecondaryToPrimaryMapper(
                                        menu ->
                                                context
                                                        .getPrimaryCache()
                                                        .byIndex(
                                                                MENU_INDEX,
                                                                menu.getMetadata().getNamespace()
                                                                        + "/"
                                                                        + menu.getMetadata()
                                                                                .getName())
                                                        .stream()
                                                        .map(ResourceID::fromResource)
                                                        .collect(Collectors.toSet()))
                                .build(),
                        context),
                // A device's status (mirrored from the order service) reaches its store.
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(KitchenDevice.class, Store.class)
                                .withSecondaryToPrimaryMapper(
                                        d ->
                                                d.getSpec() == null
                                                                || d.getSpec().getStoreRef() == null
                                                        ? Set.of()
                                                        : Set.of(
                                                                new ResourceID(
                                                                        d.getSpec().getStoreRef(),
                                                                        d.getMetadata()
                                                                                .getNamespace())))
                                .build(),
                        context));
    }

    @SuppressWarnings("unchecked")
    private static List<KitchenDevice> devices(Store store, Context<Store> context) {
        InformerEventSource<KitchenDevice, Store> devices =
                (InformerEventSource<KitchenDevice, Store>)
                        context.eventSourceRetriever().getEventSourceFor(KitchenDevice.class);
        return devices.list(
                        store.getMetadata().getNamespace(),
                        d ->
                                d.getSpec() != null
                                        && store.getMetadata()
                                                .getName()
                                                .equals(d.getSpec().getStoreRef()))
                .toList();
    }

    @SuppressWarnings("unchecked")
    private static Menu menu(Store store, Context<Store> context) {
        InformerEventSource<Menu, Store> menus =
                (InformerEventSource<Menu, Store>)
                        context.eventSourceRetriever().getEventSourceFor(Menu.class);
        return menus.get(
                        new ResourceID(
                                store.getSpec().getMenuRef(), store.getMetadata().getNamespace()))
                .orElse(null);
    }

    @Override
    public ErrorStatusUpdateControl<Store> updateErrorStatus(
            Store store, Context<Store> context, Exception e) {
        Optional<IllegalArgumentException> invalid = Secondaries.invalidSpec(e);
        String message = invalid.map(Exception::getMessage).orElse(e.getMessage());
        status(
                store,
                aggregator(store)
                        .set(
                                ConditionType.CONFIG_READY,
                                ConditionStatus.False,
                                invalid.isPresent() ? StoreEvents.INVALID_SPEC : "ReconcileFailed",
                                message));
        if (invalid.isEmpty()) {
            return ErrorStatusUpdateControl.patchStatus(store); // transient: retried with backoff
        }
        try {
            context.getClient().resource(StoreEvents.invalidSpec(store, message, clock)).create();
        } catch (RuntimeException alreadyRecorded) {
            LOG.debug("Event for {} not recorded: {}", message, alreadyRecorded.getMessage());
        }
        // Retrying cannot fix the spec; the edit that does triggers a new reconciliation.
        return ErrorStatusUpdateControl.patchStatus(store).withNoRetry();
    }

    private StatusAggregator aggregator(Store store) {
        StoreStatus previous = store.getStatus();
        return new StatusAggregator(
                previous == null ? null : previous.getConditions(),
                store.getMetadata().getGeneration(),
                clock);
    }

    private static StoreStatus status(Store store, StatusAggregator conditions) {
        StoreStatus status = store.getStatus() == null ? new StoreStatus() : store.getStatus();
        status.setObservedGeneration(store.getMetadata().getGeneration());
        status.setConditions(conditions.build());
        store.setStatus(status);
        return status;
    }
}
