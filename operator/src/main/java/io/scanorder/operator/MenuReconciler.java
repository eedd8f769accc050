package io.scanorder.operator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.crds.v1alpha1.MenuStatus;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.MenuContent;
import io.scanorder.operator.model.MenuEvents;
import io.scanorder.operator.model.MenuValidation;
import io.scanorder.operator.model.StatusAggregator;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates a Menu against the Stores that reference it and publishes it to each store's order
 * service over gRPC, idempotent by revision hash; looks again every resync so a service that
 * restarted empty gets it back.
 */
@ControllerConfiguration
public class MenuReconciler implements Reconciler<Menu> {
    private static final Logger LOG = LoggerFactory.getLogger(MenuReconciler.class);

    private final Clock clock;
    private final OrderServiceChannels services;

    /** Consecutive failed rounds per menu, for the retry backoff. */
    private final Map<ResourceID, Integer> failures = new ConcurrentHashMap<>();

    public MenuReconciler(Clock clock, OrderServiceChannels services) {
        this.clock = clock;
        this.services = services;
    }

    @Override
    public List<EventSource<?, Menu>> prepareEventSources(EventSourceContext<Menu> context) {
        // A Store adding, dropping or changing the stations of a menu revalidates that menu.
        return List.of(
                new InformerEventSource<>(
                        InformerEventSourceConfiguration.from(Store.class, Menu.class)
                                .withSecondaryToPrimaryMapper(
                                        store ->
                                                store.getSpec() == null
                                                                || store.getSpec().getMenuRef()
                                                                        == null
                                                        ? Set.of()
                                                        : Set.of(
                                                                new ResourceID(
                                                                        store.getSpec()
                                                                                .getMenuRef(),
                                                                        store.getMetadata()
                                                                                .getNamespace())))
                                .build(),
                        context));
    }

    @Override
    public UpdateControl<Menu> reconcile(Menu menu, Context<Menu> context) {
        ResourceID id = ResourceID.fromResource(menu);
        List<Store> stores = stores(menu, context);
        List<String> violations = MenuValidation.violations(menu.getSpec(), stores);
        if (!violations.isEmpty()) {
            failures.remove(id);
            return invalid(menu, context, "InvalidSpec", violations.get(0));
        }
        io.scanorder.proto.order.v1.Menu content = MenuContent.toProto(menu.getSpec());
        String hash = MenuContent.revisionHash(content);
        MenuStatus status = status(menu);
        status.setRevisionHash(hash);
        status.setItemCount(content.getItemsCount());
        StatusAggregator conditions =
                aggregator(menu)
                        .set(
                                ConditionType.VALID,
                                ConditionStatus.True,
                                "Valid",
                                "valid for stores " + names(stores));
        if (stores.isEmpty()) {
            conditions.set(
                    ConditionType.PUBLISHED,
                    ConditionStatus.Unknown,
                    "NoStore",
                    "no Store in namespace "
                            + menu.getMetadata().getNamespace()
                            + " has spec.menuRef "
                            + menu.getMetadata().getName());
            status.setConditions(conditions.build());
            return UpdateControl.patchStatus(menu);
        }
        for (Store store : stores) {
            try {
                publish(store, content);
            } catch (StatusRuntimeException e) {
                return publishFailed(menu, context, store, e, conditions);
            }
        }
        failures.remove(id);
        conditions.set(
                ConditionType.PUBLISHED,
                ConditionStatus.True,
                "Published",
                "revision " + hash.substring(0, 12) + " is in force at stores " + names(stores));
        status.setConditions(conditions.build());
        return UpdateControl.patchStatus(menu).rescheduleAfter(services.link().menuResync());
    }

    private void publish(Store store, io.scanorder.proto.order.v1.Menu content) {
        String storeCode = store.getSpec().getStoreCode();
        MenuPublisher.Outcome outcome =
                MenuPublisher.publish(services.menuAdmin(store), storeCode, content);
        if (outcome.published()) {
            LOG.info(
                    "Menu revision {} published to store {} ({}), {} items",
                    outcome.revisionHash(),
                    store.getMetadata().getName(),
                    storeCode,
                    outcome.itemCount());
        }
    }

    private UpdateControl<Menu> publishFailed(
            Menu menu,
            Context<Menu> context,
            Store store,
            StatusRuntimeException e,
            StatusAggregator conditions) {
        String where =
                "store "
                        + store.getMetadata().getName()
                        + " ("
                        + store.getSpec().getStoreCode()
                        + ") at "
                        + services.target(store);
        if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
            // The service's own validation found what ours did not: retrying cannot help.
            failures.remove(ResourceID.fromResource(menu));
            return invalid(
                    menu,
                    context,
                    "RejectedByOrderService",
                    where + " rejected the menu: " + e.getStatus().getDescription());
        }
        int failed = failures.merge(ResourceID.fromResource(menu), 1, Integer::sum);
        var delay = services.link().backoff(failed);
        services.reconnectNow(store);
        String reason =
                e.getStatus().getCode() == Status.Code.NOT_FOUND
                        ? "StoreUnknownToOrderService"
                        : "OrderServiceUnreachable";
        conditions.set(
                ConditionType.PUBLISHED,
                ConditionStatus.False,
                reason,
                "order service of "
                        + where
                        + ": "
                        + e.getStatus().getCode()
                        + (e.getStatus().getDescription() == null
                                ? ""
                                : " " + e.getStatus().getDescription())
                        + "; attempt "
                        + failed
                        + ", retrying in "
                        + String.format(java.util.Locale.ROOT, "%.1fs", delay.toMillis() / 1000.0));
        status(menu).setConditions(conditions.build());
        LOG.warn("Menu {} not published: {}", menu.getMetadata().getName(), e.getStatus());
        return UpdateControl.patchStatus(menu).rescheduleAfter(delay);
    }

    private UpdateControl<Menu> invalid(
            Menu menu, Context<Menu> context, String reason, String message) {
        MenuStatus status = status(menu);
        status.setConditions(
                aggregator(menu)
                        .set(ConditionType.VALID, ConditionStatus.False, reason, message)
                        .set(
                                ConditionType.PUBLISHED,
                                ConditionStatus.False,
                                "InvalidMenu",
                                "not published while invalid: " + message)
                        .build());
        try {
            context.getClient().resource(MenuEvents.invalidMenu(menu, message, clock)).create();
        } catch (RuntimeException alreadyRecorded) {
            LOG.debug("Event for {} not recorded: {}", message, alreadyRecorded.getMessage());
        }
        // No retry: the edit of the Menu or a Store that fixes it triggers a new round.
        return UpdateControl.patchStatus(menu);
    }

    @SuppressWarnings("unchecked")
    private static List<Store> stores(Menu menu, Context<Menu> context) {
        InformerEventSource<Store, Menu> source =
                (InformerEventSource<Store, Menu>)
                        context.eventSourceRetriever().getEventSourceFor(Store.class);
        return source.list(
                        menu.getMetadata().getNamespace(),
                        s ->
                                s.getSpec() != null
                                        && menu.getMetadata()
                                                .getName()
                                                .equals(s.getSpec().getMenuRef()))
                .sorted(Comparator.comparing(s -> s.getMetadata().getName()))
                .toList();
    }

    private static String names(List<Store> stores) {
        return stores.stream()
                .map(s -> s.getMetadata().getName() + " (" + s.getSpec().getStoreCode() + ")")
                .toList()
                .toString();
    }

    private StatusAggregator aggregator(Menu menu) {
        MenuStatus previous = menu.getStatus();
        return new StatusAggregator(
                previous == null ? null : previous.getConditions(),
                menu.getMetadata().getGeneration(),
                clock);
    }

    private static MenuStatus status(Menu menu) {
        if (menu.getStatus() == null) {
            menu.setStatus(new MenuStatus());
        }
        menu.getStatus().setObservedGeneration(menu.getMetadata().getGeneration());
        return menu.getStatus();
    }
}
