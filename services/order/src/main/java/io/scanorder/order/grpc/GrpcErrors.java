package io.scanorder.order.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.scanorder.order.db.TransactionFailedException;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.kitchen.KitchenNotFoundException;
import io.scanorder.order.state.ActorNotAllowedException;
import io.scanorder.order.state.AmountOutOfRangeException;
import io.scanorder.order.state.ConcurrentChangeException;
import io.scanorder.order.state.IllegalTransitionException;
import io.scanorder.order.state.OrderNotFoundException;
import io.scanorder.order.state.OrderRuleException;
import io.scanorder.order.store.StoreNotAppliedException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/** Maps domain and database errors to gRPC status codes with a message a client can act on. */
final class GrpcErrors {
    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

    private GrpcErrors() {}

    /**
     * Answers a unary call with what {@code call} returns, or with the status {@link #toStatus}
     * maps its exception to.
     */
    static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
        T result;
        try {
            result = call.get();
        } catch (RuntimeException e) {
            response.onError(toStatus(e));
            return;
        }
        response.onNext(result);
        response.onCompleted();
    }

    static StatusRuntimeException toStatus(Throwable e) {
        if (e instanceof StatusRuntimeException sre) {
            return sre;
        }
        Status status;
        if (e instanceof IllegalArgumentException) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof OrderNotFoundException
                || e instanceof StoreNotAppliedException
                || e instanceof KitchenNotFoundException) {
            status = Status.NOT_FOUND;
        } else if (e instanceof ActorNotAllowedException) {
            status = Status.PERMISSION_DENIED;
        } else if (e instanceof IllegalTransitionException || e instanceof OrderRuleException) {
            status = Status.FAILED_PRECONDITION;
        } else if (e instanceof AmountOutOfRangeException) {
            status = Status.OUT_OF_RANGE;
        } else if (e instanceof ConcurrentChangeException) {
            status = Status.ABORTED;
        } else if (e instanceof TransactionFailedException tx) {
            return database(tx);
        } else {
            LOG.error("unexpected error in a gRPC call of the order service", e);
            return Status.INTERNAL
                    .withDescription("internal error: " + e.getClass().getSimpleName())
                    .asRuntimeException();
        }
        return status.withDescription(e.getMessage()).asRuntimeException();
    }

    private static StatusRuntimeException database(TransactionFailedException tx) {
        String state = tx.sqlState();
        if (Transactions.SERIALIZATION_FAILURE.equals(state)) {
            return Status.ABORTED
                    .withDescription(
                            "concurrent changes to the same rows conflicted in all "
                                    + tx.attempts()
                                    + " attempts; read again and retry")
                    .asRuntimeException();
        }
        if (state != null && state.startsWith("08")) {
            return Status.UNAVAILABLE
                    .withDescription(
                            "database unreachable (SQLSTATE " + state + "); retry the request")
                    .asRuntimeException();
        }
        LOG.error("database error in a gRPC call of the order service", tx);
        return Status.INTERNAL
                .withDescription("database error (SQLSTATE " + state + ")")
                .asRuntimeException();
    }
}
