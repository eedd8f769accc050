package io.scanorder.order.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.scanorder.order.store.AppliedStore;
import io.scanorder.order.store.ApplyResult;
import io.scanorder.order.store.StoreAdmin;
import io.scanorder.order.store.StoreContent;
import io.scanorder.proto.order.v1.ApplyStoreRequest;
import io.scanorder.proto.order.v1.ApplyStoreResponse;
import io.scanorder.proto.order.v1.DiningArea;
import io.scanorder.proto.order.v1.GetStoreRequest;
import io.scanorder.proto.order.v1.StoreAdminGrpc;
import io.scanorder.proto.order.v1.StoreDefinition;
import io.smallrye.common.annotation.Blocking;

/**
 * gRPC {@code StoreAdmin}: maps requests to {@link StoreAdmin} and its exceptions to status codes
 * (INVALID_ARGUMENT naming the field, NOT_FOUND, UNAVAILABLE when the database cannot be reached,
 * so the operator retries).
 */
@GrpcService
@Blocking
public class StoreAdminGrpcService extends StoreAdminGrpc.StoreAdminImplBase {

    private final StoreAdmin stores;

    public StoreAdminGrpcService(StoreAdmin stores) {
        this.stores = stores;
    }

    @Override
    public void applyStore(ApplyStoreRequest request, StreamObserver<ApplyStoreResponse> response) {
        GrpcErrors.respond(
                response,
                () -> {
                    ApplyResult r =
                            stores.apply(
                                    request.getContentHash(),
                                    request.hasStore() ? toDomain(request.getStore()) : null);
                    return ApplyStoreResponse.newBuilder()
                            .setContentHash(r.contentHash())
                            .setAlreadyApplied(r.alreadyApplied())
                            .setTablesCreated(r.created())
                            .setTablesUpdated(r.updated())
                            .setTablesDisabled(r.disabled())
                            .setEnabledTables(r.enabledTables())
                            .build();
                });
    }

    @Override
    public void getStore(
            GetStoreRequest request,
            StreamObserver<io.scanorder.proto.order.v1.AppliedStore> response) {
        GrpcErrors.respond(
                response,
                () -> {
                    AppliedStore s = stores.get(request.getStoreCode());
                    return io.scanorder.proto.order.v1.AppliedStore.newBuilder()
                            .setContentHash(s.contentHash())
                            .setStore(toProto(s.content()))
                            .setAppliedAt(
                                    Timestamp.newBuilder()
                                            .setSeconds(s.appliedAt().getEpochSecond())
                                            .setNanos(s.appliedAt().getNano()))
                            .setEnabledTables(s.enabledTables())
                            .build();
                });
    }

    static StoreContent toDomain(StoreDefinition d) {
        return new StoreContent(
                d.getStoreCode(),
                d.getName(),
                d.getTimezone(),
                d.getAreasList().stream()
                        .map(
                                a ->
                                        new StoreContent.Area(
                                                a.getAreaCode(),
                                                a.getName(),
                                                a.getSeats(),
                                                a.getTableNumbersList()))
                        .toList(),
                d.getStationsList(),
                d.getPaymentTimeoutSeconds(),
                d.getMaxOrderAmountFen());
    }

    static StoreDefinition toProto(StoreContent s) {
        StoreDefinition.Builder b =
                StoreDefinition.newBuilder()
                        .setStoreCode(s.storeCode())
                        .setName(s.name())
                        .setTimezone(s.timezone())
                        .addAllStations(s.stations())
                        .setPaymentTimeoutSeconds(s.paymentTimeoutSeconds())
                        .setMaxOrderAmountFen(s.maxOrderAmountFen());
        for (StoreContent.Area a : s.areas()) {
            b.addAreas(
                    DiningArea.newBuilder()
                            .setAreaCode(a.areaCode())
                            .setName(a.name())
                            .setSeats(a.seats())
                            .addAllTableNumbers(a.tableNumbers()));
        }
        return b.build();
    }
}
