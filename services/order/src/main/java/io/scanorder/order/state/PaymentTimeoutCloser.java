package io.scanorder.order.state;

import io.scanorder.order.config.OrderServiceConfig;
import io.scanorder.order.db.Transactions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Closes PENDING_PAYMENT orders whose payment deadline passed: the order's own {@code
 * payment_deadline}, else its creation time plus the store's timeout, else plus the service-wide
 * default. Safe with several replicas: each close is a conditional move, so an order closed (or
 * paid) by someone else is skipped, never closed twice.
 */
@ApplicationScoped
public class PaymentTimeoutCloser {
    private static final Logger LOG = Logger.getLogger(PaymentTimeoutCloser.class);

    private static final String OVERDUE =
            "SELECT o.order_id FROM orders o JOIN stores s ON s.store_id = o.store_id"
                    // waiting_state = state for PENDING_PAYMENT orders; indexed, state is not
                    + " WHERE o.waiting_state = 'PENDING_PAYMENT'"
                    + " AND COALESCE(o.payment_deadline, o.created_at"
                    + " + COALESCE(s.order_timeout_seconds, ?) * INTERVAL '1 second') <= ?"
                    + " ORDER BY o.created_at LIMIT ?";

    private final Transactions transactions;
    private final OrderTransitions transitions;
    private final Duration defaultTimeout;
    private final int batchSize;

    @Inject
    public PaymentTimeoutCloser(
            Transactions transactions, OrderTransitions transitions, OrderServiceConfig config) {
        this.transactions = transactions;
        this.transitions = transitions;
        this.defaultTimeout = config.orderStates().defaultPaymentTimeout();
        this.batchSize = config.orderStates().timeoutBatchSize();
    }

    /**
     * Closes every order overdue at {@code now}, batch by batch.
     *
     * @return how many orders this call closed
     */
    public int closeOverdue(Instant now) {
        int closed = 0;
        while (true) {
            List<UUID> batch = overdue(now);
            int closedInBatch = 0;
            for (UUID id : batch) {
                if (close(id)) {
                    closedInBatch++;
                }
            }
            closed += closedInBatch;
            // A short batch was the last; a batch where nothing closed means other replicas hold
            // the rest (or they were paid), so stop rather than spin on the same rows.
            if (batch.size() < batchSize || closedInBatch == 0) {
                return closed;
            }
        }
    }

    private List<UUID> overdue(Instant now) {
        return transactions.inTransaction(
                "overdue-orders",
                c -> {
                    List<UUID> ids = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement(OVERDUE)) {
                        ps.setLong(1, defaultTimeout.toSeconds());
                        ps.setTimestamp(2, Timestamp.from(now));
                        ps.setInt(3, batchSize);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getObject(1, UUID.class));
                            }
                        }
                    }
                    return ids;
                });
    }

    private boolean close(UUID id) {
        try {
            return transitions
                    .move(id, OrderState.CLOSED, Actor.PAYMENT_TIMEOUT, "payment timeout elapsed")
                    .changed();
        } catch (IllegalTransitionException | ConcurrentChangeException e) {
            // Paid or cancelled since the batch was read: exactly the race the move guards.
            LOG.debugf("not closing order %s: %s", id, e.getMessage());
            return false;
        }
    }
}
