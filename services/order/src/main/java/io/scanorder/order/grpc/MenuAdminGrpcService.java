package io.scanorder.order.grpc;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.scanorder.order.db.TransactionFailedException;
import io.scanorder.order.menu.FieldError;
import io.scanorder.order.menu.InvalidMenuException;
import io.scanorder.order.menu.MenuNotFoundException;
import io.scanorder.order.menu.MenuService;
import io.scanorder.order.menu.PublishResult;
import io.scanorder.order.menu.StoredMenu;
import io.scanorder.proto.order.v1.GetMenuRequest;
import io.scanorder.proto.order.v1.MenuAdminGrpc;
import io.scanorder.proto.order.v1.MenuRevision;
import io.scanorder.proto.order.v1.PublishMenuRequest;
import io.scanorder.proto.order.v1.PublishMenuResponse;
import io.smallrye.common.annotation.Blocking;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * gRPC {@code MenuAdmin}: maps requests to {@link MenuService} and its exceptions to status codes
 * (INVALID_ARGUMENT with the field path and google.rpc.BadRequest details, NOT_FOUND, UNAVAILABLE
 * when the database cannot be reached, so the operator retries).
 */
@GrpcService
@Blocking
public class MenuAdminGrpcService extends MenuAdminGrpc.MenuAdminImplBase {
    private static final Logger LOG = Logger.getLogger(MenuAdminGrpcService.class);

    private final MenuService menus;

    public MenuAdminGrpcService(MenuService menus) {
        this.menus = menus;
    }

    @Override
    public void publishMenu(
            PublishMenuRequest request, StreamObserver<PublishMenuResponse> response) {
        respond(
                response,
                () -> {
                    PublishResult r =
                            menus.publish(
                                    request.getStoreCode(),
                                    request.getRevisionHash(),
                                    request.hasMenu()
                                            ? MenuProtoMapper.toDomain(request.getMenu())
                                            : null);
                    return PublishMenuResponse.newBuilder()
                            .setRevisionHash(r.revisionHash())
                            .setAlreadyPublished(r.alreadyPublished())
                            .setItemCount(r.itemCount())
                            .build();
                });
    }

    @Override
    public void getMenu(GetMenuRequest request, StreamObserver<MenuRevision> response) {
        respond(
                response,
                () -> {
                    StoredMenu m =
                            request.getRevisionHash().isEmpty()
                                    ? menus.current(request.getStoreCode())
                                    : menus.revision(
                                            request.getStoreCode(), request.getRevisionHash());
                    return MenuProtoMapper.toProto(m);
                });
    }

    private static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (InvalidMenuException e) {
            response.onError(invalidArgument(e));
            return;
        } catch (MenuNotFoundException e) {
            response.onError(Status.NOT_FOUND.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (TransactionFailedException e) {
            LOG.warn("menu request failed in the database", e);
            response.onError(
                    Status.UNAVAILABLE
                            .withDescription("database unavailable, retry: " + e.getMessage())
                            .asRuntimeException());
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    /** INVALID_ARGUMENT whose description names the first field and whose details list them all. */
    static StatusRuntimeException invalidArgument(InvalidMenuException e) {
        BadRequest.Builder details = BadRequest.newBuilder();
        for (FieldError f : e.errors()) {
            details.addFieldViolations(
                    BadRequest.FieldViolation.newBuilder()
                            .setField(f.field())
                            .setDescription(f.description()));
        }
        return StatusProto.toStatusRuntimeException(
                com.google.rpc.Status.newBuilder()
                        .setCode(Code.INVALID_ARGUMENT_VALUE)
                        .setMessage(e.getMessage())
                        .addDetails(Any.pack(details.build()))
                        .build());
    }
}
