package io.scanorder.order.placement;

import io.scanorder.order.db.TransactionFailedException;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.diner.DinerApiException;
import io.scanorder.order.menu.InvalidMenuException;
import io.scanorder.order.state.ActorNotAllowedException;
import io.scanorder.order.state.AmountOutOfRangeException;
import io.scanorder.order.state.ConcurrentChangeException;
import io.scanorder.order.state.IllegalTransitionException;
import io.scanorder.order.state.OrderNotFoundException;
import io.scanorder.order.state.OrderRuleException;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Translates domain errors of the order endpoints into {@link DinerApiException}s (JSON {@code
 * reason}/{@code message} via DinerErrorMapper). Table code refusals pass through to their own
 * mapper.
 */
final class DinerErrors {
    private static final Logger LOG = Logger.getLogger(DinerErrors.class);

    private DinerErrors() {}

    /**
     * Runs {@code call}, translating its domain errors.
     *
     * @param amountReason reason code for {@link AmountOutOfRangeException} in this endpoint
     */
    static <T> T translate(String amountReason, Supplier<T> call) {
        try {
            return call.get();
        } catch (PlacementRefusedException e) {
            throw new DinerApiException(e.reason().httpStatus(), e.reason().name(), e.getMessage());
        } catch (AmountOutOfRangeException e) {
            throw new DinerApiException(422, amountReason, e.getMessage());
        } catch (OrderNotFoundException e) {
            throw new DinerApiException(404, "NOT_FOUND", e.getMessage());
        } catch (ActorNotAllowedException e) {
            throw new DinerApiException(403, "NOT_ALLOWED", e.getMessage());
        } catch (IllegalTransitionException | OrderRuleException e) {
            throw new DinerApiException(409, "ORDER_STATE_CONFLICT", e.getMessage());
        } catch (ConcurrentChangeException e) {
            throw new DinerApiException(409, "CONCURRENT_CHANGE", e.getMessage());
        } catch (IllegalArgumentException | InvalidMenuException e) {
            throw new DinerApiException(400, "INVALID_REQUEST", e.getMessage());
        } catch (TransactionFailedException e) {
            if (Transactions.SERIALIZATION_FAILURE.equals(e.sqlState())) {
                throw new DinerApiException(
                        503,
                        "BUSY",
                        "too many concurrent changes to this order or store; retry shortly with"
                                + " the same Idempotency-Key",
                        1,
                        e);
            }
            LOG.error("database error in the diner order API", e);
            throw new DinerApiException(
                    503,
                    "DATABASE_UNAVAILABLE",
                    "the order database failed (SQLSTATE " + e.sqlState() + "); retry shortly",
                    1,
                    e);
        }
    }
}
