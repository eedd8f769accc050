package io.scanorder.operator;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.scanorder.operator.model.MenuContent;
import io.scanorder.proto.order.v1.GetMenuRequest;
import io.scanorder.proto.order.v1.Menu;
import io.scanorder.proto.order.v1.MenuAdminGrpc;
import io.scanorder.proto.order.v1.MenuRevision;
import io.scanorder.proto.order.v1.PublishMenuRequest;
import io.scanorder.proto.order.v1.PublishMenuResponse;

/**
 * Publishes a menu to a store's order service unless the revision the service reports in force
 * already has the menu's hash. The hash is the service's own canonical revision hash ({@link
 * MenuContent#revisionHash}) and goes along with PublishMenu, so the service refuses the request
 * instead of silently storing another revision should the two ever disagree. The MenuReconciler and
 * local mode both use it.
 */
public final class MenuPublisher {
    private MenuPublisher() {}

    /**
     * What one {@link #publish} did.
     *
     * @param revisionHash revision in force at the service now
     * @param published false when it was already in force and only GetMenu was called
     * @param itemCount items of the menu
     */
    public record Outcome(String revisionHash, boolean published, int itemCount) {}

    /**
     * Publishes {@code menu} for the store unless it is in force there.
     *
     * @throws StatusRuntimeException as the service answered (INVALID_ARGUMENT: refused, the
     *     description names the field; NOT_FOUND: unknown store; UNAVAILABLE: unreachable)
     */
    public static Outcome publish(
            MenuAdminGrpc.MenuAdminBlockingStub stub, String storeCode, Menu menu) {
        String hash = MenuContent.revisionHash(menu);
        try {
            MenuRevision current =
                    stub.getMenu(GetMenuRequest.newBuilder().setStoreCode(storeCode).build());
            if (hash.equals(current.getRevisionHash())) {
                return new Outcome(hash, false, menu.getItemsCount());
            }
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
                throw e;
            }
        }
        PublishMenuResponse r =
                stub.publishMenu(
                        PublishMenuRequest.newBuilder()
                                .setStoreCode(storeCode)
                                .setRevisionHash(hash)
                                .setMenu(menu)
                                .build());
        return new Outcome(r.getRevisionHash(), !r.getAlreadyPublished(), r.getItemCount());
    }
}
