package io.scanorder.operator;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.scanorder.operator.model.MenuContent;
import io.scanorder.operator.model.StoreDefinitions;
import io.scanorder.proto.order.v1.AppliedStore;
import io.scanorder.proto.order.v1.ApplyStoreRequest;
import io.scanorder.proto.order.v1.ApplyStoreResponse;
import io.scanorder.proto.order.v1.DeregisterDeviceRequest;
import io.scanorder.proto.order.v1.DeregisterDeviceResponse;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.DevicePhase;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.GetDeviceHealthRequest;
import io.scanorder.proto.order.v1.GetMenuRequest;
import io.scanorder.proto.order.v1.GetStoreRequest;
import io.scanorder.proto.order.v1.ListDeviceHealthRequest;
import io.scanorder.proto.order.v1.ListDeviceHealthResponse;
import io.scanorder.proto.order.v1.MenuAdminGrpc;
import io.scanorder.proto.order.v1.MenuRevision;
import io.scanorder.proto.order.v1.PublishMenuRequest;
import io.scanorder.proto.order.v1.PublishMenuResponse;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import io.scanorder.proto.order.v1.StoreAdminGrpc;
import io.scanorder.proto.order.v1.StoreDefinition;
import io.scanorder.testkit.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Test double of the order service's MenuAdmin, StoreAdmin and DeviceRegistry on a real gRPC server
 * (Netty, a loopback port that stays the same across stop and start): keeps what it is told in
 * memory, so {@link #restartEmpty()} behaves like a service that lost its state, and counts calls.
 */
final class OrderServiceDouble implements AutoCloseable {
    final int port = FreePorts.loopback();
    private final Map<String, MenuRevision> menus = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> publishes = new ConcurrentHashMap<>();
    private final AtomicInteger menuReads = new AtomicInteger();
    private final Map<String, AppliedStore> stores = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> storeApplies = new ConcurrentHashMap<>();
    private final AtomicInteger storeReads = new AtomicInteger();
    private final Map<String, DeviceHealth> devices = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> deregistrations = new ConcurrentHashMap<>();
    private Server server;

    synchronized OrderServiceDouble start() {
        try {
            server =
                    NettyServerBuilder.forAddress(
                                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
                            .addService(new Menus())
                            .addService(new Devices())
                            .addService(new Stores())
                            .build()
                            .start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("order service double could not bind port " + port, e);
        }
    }

    synchronized void stop() {
        if (server != null) {
            server.shutdownNow();
            try {
                server.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
    }

    /** Stops, forgets every menu and device, starts again on the same port. */
    void restartEmpty() {
        stop();
        menus.clear();
        devices.clear();
        stores.clear();
        start();
    }

    String target() {
        return "127.0.0.1:" + port;
    }

    /** PublishMenu calls that wrote a revision for the store since the double started. */
    int publishes(String storeCode) {
        return publishes.getOrDefault(storeCode, new AtomicInteger()).get();
    }

    /** ApplyStore calls that wrote content for the store since the double started. */
    int storeApplies(String storeCode) {
        return storeApplies.getOrDefault(storeCode, new AtomicInteger()).get();
    }

    int storeReads() {
        return storeReads.get();
    }

    AppliedStore store(String storeCode) {
        return stores.get(storeCode);
    }

    int menuReads() {
        return menuReads.get();
    }

    MenuRevision menu(String storeCode) {
        return menus.get(storeCode);
    }

    DeviceHealth device(String storeCode, String deviceId) {
        return devices.get(storeCode + "/" + deviceId);
    }

    int deregistrations(String storeCode, String deviceId) {
        return deregistrations.getOrDefault(storeCode + "/" + deviceId, new AtomicInteger()).get();
    }

    /** Changes what the service observes of a registered device, as heartbeats would. */
    void observe(String storeCode, String deviceId, UnaryOperator<DeviceHealth.Builder> change) {
        devices.computeIfPresent(
                storeCode + "/" + deviceId, (k, h) -> change.apply(h.toBuilder()).build());
    }

    @Override
    public void close() {
        stop();
    }

    private final class Menus extends MenuAdminGrpc.MenuAdminImplBase {
        @Override
        public void publishMenu(
                PublishMenuRequest request, StreamObserver<PublishMenuResponse> response) {
            // The operator's canonical hash; MenuContentTest pins it to the service's own value.
            String hash = MenuContent.revisionHash(request.getMenu());
            if (!request.getRevisionHash().isEmpty() && !request.getRevisionHash().equals(hash)) {
                response.onError(
                        Status.INVALID_ARGUMENT
                                .withDescription("revision_hash does not match the menu")
                                .asRuntimeException());
                return;
            }
            MenuRevision before = menus.get(request.getStoreCode());
            boolean already = before != null && before.getRevisionHash().equals(hash);
            if (!already) {
                menus.put(
                        request.getStoreCode(),
                        MenuRevision.newBuilder()
                                .setStoreCode(request.getStoreCode())
                                .setRevisionHash(hash)
                                .setMenu(request.getMenu())
                                .setCurrent(true)
                                .build());
                publishes
                        .computeIfAbsent(request.getStoreCode(), k -> new AtomicInteger())
                        .incrementAndGet();
            }
            response.onNext(
                    PublishMenuResponse.newBuilder()
                            .setRevisionHash(hash)
                            .setAlreadyPublished(already)
                            .setItemCount(request.getMenu().getItemsCount())
                            .build());
            response.onCompleted();
        }

        @Override
        public void getMenu(GetMenuRequest request, StreamObserver<MenuRevision> response) {
            menuReads.incrementAndGet();
            MenuRevision menu = menus.get(request.getStoreCode());
            if (menu == null) {
                response.onError(
                        Status.NOT_FOUND
                                .withDescription("store " + request.getStoreCode() + " has no menu")
                                .asRuntimeException());
                return;
            }
            response.onNext(menu);
            response.onCompleted();
        }
    }

    private final class Stores extends StoreAdminGrpc.StoreAdminImplBase {
        @Override
        public void applyStore(
                ApplyStoreRequest request, StreamObserver<ApplyStoreResponse> response) {
            StoreDefinition store = request.getStore();
            // The one rule of the real service's validation the tests exercise.
            int timeout = store.getPaymentTimeoutSeconds();
            if (timeout != 0 && (timeout < 60 || timeout > 86400)) {
                response.onError(
                        Status.INVALID_ARGUMENT
                                .withDescription(
                                        "store.payment_timeout_seconds: must be 0 (service"
                                                + " default) or within 60..86400, got "
                                                + timeout)
                                .asRuntimeException());
                return;
            }
            String hash = StoreDefinitions.contentHash(store);
            if (!request.getContentHash().isEmpty() && !request.getContentHash().equals(hash)) {
                response.onError(
                        Status.INVALID_ARGUMENT
                                .withDescription("content_hash: does not match the content")
                                .asRuntimeException());
                return;
            }
            AppliedStore before = stores.get(store.getStoreCode());
            boolean already = before != null && before.getContentHash().equals(hash);
            int tables =
                    store.getAreasList().stream().mapToInt(a -> a.getTableNumbersCount()).sum();
            if (!already) {
                stores.put(
                        store.getStoreCode(),
                        AppliedStore.newBuilder()
                                .setContentHash(hash)
                                .setStore(store)
                                .setEnabledTables(tables)
                                .build());
                storeApplies
                        .computeIfAbsent(store.getStoreCode(), k -> new AtomicInteger())
                        .incrementAndGet();
            }
            response.onNext(
                    ApplyStoreResponse.newBuilder()
                            .setContentHash(hash)
                            .setAlreadyApplied(already)
                            .setTablesCreated(already ? 0 : tables)
                            .setEnabledTables(tables)
                            .build());
            response.onCompleted();
        }

        @Override
        public void getStore(GetStoreRequest request, StreamObserver<AppliedStore> response) {
            storeReads.incrementAndGet();
            AppliedStore store = stores.get(request.getStoreCode());
            if (store == null) {
                response.onError(
                        Status.NOT_FOUND
                                .withDescription("store " + request.getStoreCode() + " unknown")
                                .asRuntimeException());
                return;
            }
            response.onNext(store);
            response.onCompleted();
        }
    }

    private final class Devices extends DeviceRegistryGrpc.DeviceRegistryImplBase {
        @Override
        public void registerDevice(
                RegisterDeviceRequest request, StreamObserver<DeviceHealth> response) {
            DeviceHealth health =
                    devices.compute(
                            request.getStoreCode() + "/" + request.getDeviceId(),
                            (k, before) ->
                                    (before == null
                                                    ? DeviceHealth.newBuilder()
                                                            .setPhase(
                                                                    DevicePhase
                                                                            .DEVICE_PHASE_PENDING)
                                                    : before.toBuilder())
                                            .setStoreCode(request.getStoreCode())
                                            .setDeviceId(request.getDeviceId())
                                            .setType(request.getType())
                                            .setRole(request.getRole())
                                            .clearStations()
                                            .addAllStations(request.getStationsList())
                                            .build());
            response.onNext(health);
            response.onCompleted();
        }

        @Override
        public void deregisterDevice(
                DeregisterDeviceRequest request,
                StreamObserver<DeregisterDeviceResponse> response) {
            String key = request.getStoreCode() + "/" + request.getDeviceId();
            deregistrations.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            boolean existed = devices.remove(key) != null;
            response.onNext(DeregisterDeviceResponse.newBuilder().setExisted(existed).build());
            response.onCompleted();
        }

        @Override
        public void getDeviceHealth(
                GetDeviceHealthRequest request, StreamObserver<DeviceHealth> response) {
            DeviceHealth health = devices.get(request.getStoreCode() + "/" + request.getDeviceId());
            if (health == null) {
                response.onError(
                        Status.NOT_FOUND
                                .withDescription("device " + request.getDeviceId() + " unknown")
                                .asRuntimeException());
                return;
            }
            response.onNext(health);
            response.onCompleted();
        }

        @Override
        public void listDeviceHealth(
                ListDeviceHealthRequest request,
                StreamObserver<ListDeviceHealthResponse> response) {
            List<DeviceHealth> all =
                    devices.values().stream()
                            .filter(d -> d.getStoreCode().equals(request.getStoreCode()))
                            .toList();
            response.onNext(ListDeviceHealthResponse.newBuilder().addAllDevices(all).build());
            response.onCompleted();
        }
    }
}
