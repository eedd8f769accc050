package io.scanorder.operator;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.OrderServiceLink;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.MenuAdminGrpc;
import io.scanorder.proto.order.v1.StoreAdminGrpc;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** One gRPC channel per order service address, shared by the reconcilers that call it. */
public final class OrderServiceChannels implements AutoCloseable {
    private final OrderServiceLink link;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

    public OrderServiceChannels(OrderServiceLink link) {
        this.link = link;
    }

    /** The settings the channels were made with. */
    public OrderServiceLink link() {
        return link;
    }

    /** MenuAdmin of the store's order service, with the call deadline applied. */
    MenuAdminGrpc.MenuAdminBlockingStub menuAdmin(Store store) {
        return MenuAdminGrpc.newBlockingStub(channel(store))
                .withDeadlineAfter(link.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** StoreAdmin of the store's order service, with the call deadline applied. */
    StoreAdminGrpc.StoreAdminBlockingStub storeAdmin(Store store) {
        return StoreAdminGrpc.newBlockingStub(channel(store))
                .withDeadlineAfter(link.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** DeviceRegistry of the store's order service, with the call deadline applied. */
    DeviceRegistryGrpc.DeviceRegistryBlockingStub devices(Store store) {
        return DeviceRegistryGrpc.newBlockingStub(channel(store))
                .withDeadlineAfter(link.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The address calls for this store go to, for messages. */
    String target(Store store) {
        return link.target(store);
    }

    /**
     * Lets the next call to the store's service connect at once: the operator paces its own
     * retries, and grpc-java's reconnect backoff (up to two minutes) would otherwise keep failing
     * calls fast long after the service came back.
     */
    void reconnectNow(Store store) {
        ManagedChannel channel = channels.get(link.target(store));
        if (channel != null) {
            channel.resetConnectBackoff();
        }
    }

    private ManagedChannel channel(Store store) {
        // In-cluster traffic between the operator and the order service is plaintext; the
        // NetworkPolicy of the namespace is what limits who can reach port 9000.
        return channels.computeIfAbsent(
                link.target(store), t -> NettyChannelBuilder.forTarget(t).usePlaintext().build());
    }

    @Override
    public void close() {
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
