package io.scanorder.order.kitchen;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.scanorder.order.state.Actor;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Staff's answer for a kitchen ticket parked as maybe printed (ResolveTicket): applies it through
 * {@link TicketOutbox#resolve}, counts it in {@code
 * scanorder_kitchen_tickets_resolved_total{outcome}} and logs it for the on-call engineer.
 */
@ApplicationScoped
public class TicketResolutions {
    private static final Logger LOG = Logger.getLogger(TicketResolutions.class);
    static final String RESOLVED = "scanorder.kitchen.tickets.resolved";
    private static final int MAX_REASON_LENGTH = 200;

    private final TicketOutbox outbox;
    private final MeterRegistry registry;

    @Inject
    public TicketResolutions(TicketOutbox outbox, MeterRegistry registry) {
        this.outbox = outbox;
        this.registry = registry;
    }

    /**
     * Resolves ticket {@code ticketId} as {@code outcome}; see {@link TicketOutbox#resolve}.
     *
     * @param deviceId REPRINT only: the device the reprint goes to first; null to route it freshly
     * @param reason optional note, at most 200 characters
     * @throws IllegalArgumentException for a device with ON_PAPER or a reason too long
     */
    public TicketOutbox.ResolvedTicket resolve(
            UUID ticketId,
            TicketOutbox.Resolution outcome,
            String deviceId,
            Actor actor,
            String reason) {
        String why = reason == null ? "" : reason.strip();
        if (why.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException(
                    "reason must be at most "
                            + MAX_REASON_LENGTH
                            + " characters, got "
                            + why.length());
        }
        String device = deviceId == null || deviceId.isBlank() ? null : deviceId.strip();
        if (device != null && outcome != TicketOutbox.Resolution.REPRINT) {
            throw new IllegalArgumentException(
                    "device_id is only for REPRINT; a ticket found ON_PAPER stays on its device");
        }
        TicketOutbox.ResolvedTicket r =
                outbox.resolve(ticketId, outcome, device, actor, why, Instant.now());
        if (r.changed()) {
            count(outcome);
            LOG.infof(
                    "kitchen ticket %s of order %s (store %s, station %s) resolved %s by %s%s",
                    ticketId,
                    r.orderId(),
                    r.storeCode(),
                    r.station(),
                    outcome,
                    actor,
                    device == null ? "" : ", reprint on " + device);
        }
        return r;
    }

    private void count(TicketOutbox.Resolution outcome) {
        Counter.builder(RESOLVED)
                .description(
                        "Kitchen tickets parked as maybe printed that staff resolved, by what they"
                                + " found: ON_PAPER (printed) or REPRINT (dispatched again)")
                .tag("outcome", outcome.name())
                .register(registry)
                .increment();
    }

    /** How many tickets were resolved {@code outcome} (for tests). */
    double resolved(TicketOutbox.Resolution outcome) {
        Counter c = registry.find(RESOLVED).tag("outcome", outcome.name()).counter();
        return c == null ? 0 : c.count();
    }
}
