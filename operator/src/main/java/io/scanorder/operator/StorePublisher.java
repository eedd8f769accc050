package io.scanorder.operator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.scanorder.operator.model.StoreDefinitions;
import io.scanorder.proto.order.v1.AppliedStore;
import io.scanorder.proto.order.v1.ApplyStoreRequest;
import io.scanorder.proto.order.v1.ApplyStoreResponse;
import io.scanorder.proto.order.v1.GetStoreRequest;
import io.scanorder.proto.order.v1.StoreAdminGrpc;
import io.scanorder.proto.order.v1.StoreDefinition;

/**
 * Brings an order service's copy of a store in line with the Store spec: GetStore first, and
 * ApplyStore only when the content hash the service reports differs (or it knows no such store, as
 * after a restart on an empty database). The StoreReconciler and local mode both use it, so they
 * publish the same way.
 */
public final class StorePublisher {
    private StorePublisher() {}

    /**
     * What one {@link #publish} did.
     *
     * @param contentHash hash of the content the service holds now
     * @param applied false when the service already held it and only GetStore was called
     * @param enabledTables tables the service has in service for the store
     * @param summary what changed, for logs and messages
     */
    public record Outcome(String contentHash, boolean applied, int enabledTables, String summary) {}

    /**
     * Publishes {@code store} unless the service holds the same content.
     *
     * @throws StatusRuntimeException as the service answered: INVALID_ARGUMENT when it refused the
     *     content (the description names the field), UNAVAILABLE and others when it could not be
     *     reached
     */
    public static Outcome publish(
            StoreAdminGrpc.StoreAdminBlockingStub stub, StoreDefinition store) {
        String hash = StoreDefinitions.contentHash(store);
        try {
            AppliedStore held =
                    stub.getStore(
                            GetStoreRequest.newBuilder()
                                    .setStoreCode(store.getStoreCode())
                                    .build());
            if (hash.equals(held.getContentHash())) {
                return new Outcome(
                        hash, false, held.getEnabledTables(), "already held by the order service");
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
        ApplyStoreResponse r =
                stub.applyStore(
                        ApplyStoreRequest.newBuilder()
                                .setContentHash(hash)
                                .setStore(store)
                                .build());
        return new Outcome(
                r.getContentHash(),
                !r.getAlreadyApplied(),
                r.getEnabledTables(),
                r.getTablesCreated()
                        + " tables created, "
                        + r.getTablesUpdated()
                        + " updated, "
                        + r.getTablesDisabled()
                        + " disabled");
    }
}
