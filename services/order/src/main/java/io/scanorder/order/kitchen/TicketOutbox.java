package io.scanorder.order.kitchen;

import com.fasterxml.jackson.databind.JsonNode;
import io.scanorder.order.db.Transactions;
import io.scanorder.order.state.Actor;
import io.scanorder.order.state.ActorKind;
import io.scanorder.order.state.MoveResult;
import io.scanorder.order.state.OrderState;
import io.scanorder.order.state.OrderTransitions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The database side of kitchen dispatch: claims due outbox rows with a lease (a conditional UPDATE,
 * so of several replicas exactly one gets a row, portable to CockroachDB), routes each ticket,
 * records publishes with retry back-off, and applies device acks (ACKED; FAILED and routed again;
 * or, for a ticket that may be on paper, parked for staff) with the order moves they cause, and
 * staff's resolution of a parked ticket ({@link #resolve}). No MQTT here: {@link TicketDispatcher}
 * publishes.
 *
 * <p>Every unit of work is short and takes its row locks in one order: the kitchen ticket, then its
 * outbox row, then the order (so lease updates and acks never deadlock). Only the first publish of
 * a ticket and the acks read or write the order row; claiming and routing read no row an acceptance
 * writes or reads.
 */
@ApplicationScoped
public class TicketOutbox {
    /** The actor of the order moves dispatch makes. */
    static final Actor DISPATCHER = new Actor(ActorKind.SYSTEM, "kitchen-dispatcher");

    private final Transactions transactions;
    private final OrderTransitions transitions;

    @Inject
    public TicketOutbox(Transactions transactions, OrderTransitions transitions) {
        this.transactions = transactions;
        this.transitions = transitions;
    }

    /** A ticket ready to publish. */
    record Publish(UUID messageId, UUID ticketId, String topic, byte[] payload, int attempts) {}

    /** What an ack did. */
    enum AckOutcome {
        ACKED,
        DUPLICATE,
        REROUTED,
        /** A FAILED ack from a device the ticket is no longer routed to. */
        STALE,
        /**
         * A FAILED ack with reason {@code INTERRUPTED}: the ticket may be on paper at that device
         * (its agent stopped, or lost the printer, after the job went out). Not routed anywhere
         * else, which could print it twice; left for staff to check (it stays FAILED with that
         * reason, its outbox row is completed, the order waits in DISPATCHING).
         */
        UNCERTAIN,
        UNKNOWN_TICKET
    }

    /**
     * Applied ack, with the ticket's age for the print latency histogram, and its order's pickup
     * number when the outcome is UNCERTAIN (what staff look for on the printer), else null.
     */
    record AckResult(AckOutcome outcome, Duration sinceAccepted, String pickupNumber) {
        AckResult(AckOutcome outcome, Duration sinceAccepted) {
            this(outcome, sinceAccepted, null);
        }
    }

    /** The ack reason meaning "may be on paper": never routed to another device automatically. */
    static final String MAYBE_PRINTED = "INTERRUPTED";

    /**
     * Claims up to {@code limit} due rows for {@code owner} until now + lease, in one short
     * transaction that reads and writes only {@code outbox} rows (never a row an acceptance reads),
     * taking the row locks in {@code message_id} order so that two replicas claiming at once never
     * deadlock.
     */
    List<UUID> claim(String owner, int limit, Duration lease, Instant now) {
        return transactions.inTransaction(
                "outbox-claim",
                c -> {
                    List<UUID> due = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT message_id FROM outbox WHERE aggregate_type = ?"
                                            + " AND completed_at IS NULL AND available_at <= ?"
                                            + " AND (claimed_until IS NULL OR claimed_until < ?)"
                                            + " ORDER BY available_at LIMIT ?")) {
                        ps.setString(1, KitchenTicketWriter.AGGREGATE_TYPE);
                        ps.setTimestamp(2, Timestamp.from(now));
                        ps.setTimestamp(3, Timestamp.from(now));
                        ps.setInt(4, limit);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                due.add((UUID) rs.getObject(1));
                            }
                        }
                    }
                    due.sort(null);
                    List<UUID> claimed = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE outbox SET claimed_by = ?, claimed_until = ?"
                                            + " WHERE message_id = ? AND completed_at IS NULL"
                                            + " AND (claimed_until IS NULL"
                                            + " OR claimed_until < ?)")) {
                        for (UUID id : due) {
                            ps.setString(1, owner);
                            ps.setTimestamp(2, Timestamp.from(now.plus(lease)));
                            ps.setObject(3, id);
                            ps.setTimestamp(4, Timestamp.from(now));
                            if (ps.executeUpdate() == 1) {
                                claimed.add(id);
                            }
                        }
                    }
                    return claimed;
                });
    }

    /**
     * Routes a claimed row: the topic and payload for the device chosen now. Empty when the ticket
     * needs no publish (already acked) or no device serves the station yet (then the row waits
     * {@code retry} and says why in {@code last_error}).
     */
    Optional<Publish> route(UUID messageId, String owner, Duration retry, Instant now) {
        return transactions.inTransaction(
                "outbox-route",
                c -> {
                    UUID ticketId;
                    int attempts;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT aggregate_id, attempts FROM outbox"
                                            + " WHERE message_id = ? AND claimed_by = ?"
                                            + " AND completed_at IS NULL")) {
                        ps.setObject(1, messageId);
                        ps.setString(2, owner);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return Optional.empty();
                            }
                            ticketId = (UUID) rs.getObject(1);
                            attempts = rs.getInt(2);
                        }
                    }
                    String state;
                    String station;
                    String lastDevice;
                    String content;
                    UUID storeId;
                    String storeCode;
                    // The store comes from the ticket's content, not the orders row: dispatch
                    // reads no row an acceptance writes (fewer serialization conflicts).
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT t.state, t.station, t.device_id, t.content::TEXT,"
                                            + " s.store_id, s.store_code FROM kitchen_tickets t"
                                            + " JOIN stores s"
                                            + " ON s.store_code = t.content->>'storeCode'"
                                            + " WHERE t.ticket_id = ?")) {
                        ps.setObject(1, ticketId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                release(
                                        c,
                                        messageId,
                                        now.plus(retry),
                                        "ticket " + ticketId + " or its store is missing",
                                        now);
                                return Optional.empty();
                            }
                            state = rs.getString(1);
                            station = rs.getString(2);
                            lastDevice = rs.getString(3);
                            content = rs.getString(4);
                            storeId = (UUID) rs.getObject(5);
                            storeCode = rs.getString(6);
                        }
                    }
                    if ("ACKED".equals(state)) {
                        complete(c, ticketId, now);
                        return Optional.empty();
                    }
                    String refusedBy = "FAILED".equals(state) ? lastDevice : null;
                    // A PENDING ticket already on a device is a reprint staff sent there
                    // (ResolveTicket), or one whose publish failed: it stays while that device
                    // is healthy.
                    Optional<DeviceRouter.Candidate> device =
                            "PENDING".equals(state) && lastDevice != null
                                    ? DeviceRouter.device(c, storeId, station, lastDevice)
                                            .filter(DeviceRouter.Candidate::healthy)
                                    : Optional.empty();
                    if (device.isEmpty()) {
                        device = DeviceRouter.route(c, storeId, station, refusedBy);
                    }
                    if (device.isEmpty()) {
                        release(
                                c,
                                messageId,
                                now.plus(retry),
                                "no device can take tickets of station '"
                                        + station
                                        + "' in store "
                                        + storeCode
                                        + (refusedBy == null ? "" : " (" + refusedBy + " refused)"),
                                now);
                        return Optional.empty();
                    }
                    JsonNode json = TicketPayload.parse(content);
                    String topic = KitchenTopics.tickets(storeCode, device.get().deviceId());
                    byte[] payload = TicketPayload.encode(json, device.get().copies());
                    // lock order of every kitchen unit of work: ticket, then outbox row, then order
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE kitchen_tickets SET device_id = ?, updated_at = ?"
                                            + " WHERE ticket_id = ? AND state <> 'ACKED'")) {
                        ps.setString(1, device.get().deviceId());
                        ps.setTimestamp(2, Timestamp.from(now));
                        ps.setObject(3, ticketId);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE outbox SET topic = ?, payload = ? WHERE message_id"
                                            + " = ?")) {
                        ps.setString(1, topic);
                        ps.setBytes(2, payload);
                        ps.setObject(3, messageId);
                        ps.executeUpdate();
                    }
                    return Optional.of(new Publish(messageId, ticketId, topic, payload, attempts));
                });
    }

    /**
     * Records a publish the broker accepted: the ticket is SENT and published again after {@code
     * nextTry} unless acked; on the ticket's first publish the order moves ACCEPTED -> DISPATCHING.
     * Locks the ticket, then the outbox row, then (first publish only) the order: the order the ack
     * path takes them in, so the two never deadlock.
     */
    void sent(Publish p, String owner, Instant now, Duration nextTry) {
        MoveResult moved =
                transactions.inTransaction(
                        "outbox-sent",
                        c -> {
                            UUID orderId = null;
                            int ticketAttempts = 0;
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "UPDATE kitchen_tickets SET state = 'SENT',"
                                                    + " attempts = attempts + 1,"
                                                    + " first_sent_at = COALESCE(first_sent_at, ?),"
                                                    + " updated_at = ? WHERE ticket_id = ?"
                                                    + " AND state <> 'ACKED'"
                                                    // an INTERRUPTED ack may beat this commit:
                                                    // the parked ticket stays parked
                                                    + " AND (state <> 'FAILED'"
                                                    + " OR failure_reason IS DISTINCT FROM '"
                                                    + MAYBE_PRINTED
                                                    + "') RETURNING order_id, attempts")) {
                                ps.setTimestamp(1, Timestamp.from(now));
                                ps.setTimestamp(2, Timestamp.from(now));
                                ps.setObject(3, p.ticketId());
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (rs.next()) {
                                        orderId = (UUID) rs.getObject(1);
                                        ticketAttempts = rs.getInt(2);
                                    }
                                }
                            }
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "UPDATE outbox SET attempts = attempts + 1,"
                                                    + " published_at = COALESCE(published_at, ?),"
                                                    + " available_at = ?, claimed_by = NULL,"
                                                    + " claimed_until = NULL, last_error = NULL"
                                                    + " WHERE message_id = ? AND claimed_by = ?"
                                                    + " AND completed_at IS NULL")) {
                                ps.setTimestamp(1, Timestamp.from(now));
                                ps.setTimestamp(2, Timestamp.from(now.plus(nextTry)));
                                ps.setObject(3, p.messageId());
                                ps.setString(4, owner);
                                ps.executeUpdate();
                            }
                            // Republishing touches no order row: only the first publish of a
                            // ticket can find its order still ACCEPTED.
                            if (orderId != null
                                    && ticketAttempts == 1
                                    && orderState(c, orderId) == OrderState.ACCEPTED) {
                                return transitions.moveIn(
                                        c,
                                        orderId,
                                        OrderState.DISPATCHING,
                                        DISPATCHER,
                                        "kitchen tickets published");
                            }
                            return null;
                        });
        if (moved != null) {
            transitions.afterCommit(moved);
        }
    }

    /** Records a publish that failed; the row is due again after {@code retry}. */
    void publishFailed(Publish p, String owner, String error, Instant now, Duration retry) {
        transactions.inTransaction(
                "outbox-publish-failed",
                c -> {
                    release(c, p.messageId(), now.plus(retry), error, now);
                    return null;
                });
    }

    /**
     * Applies an ack from device {@code deviceId}: PRINTED makes the ticket ACKED (once: a repeated
     * ack changes nothing), completes its outbox row and moves the order as {@link KitchenProgress}
     * says (ACCEPTED -> DISPATCHING, and DISPATCHING -> COOKING once every ticket of an order
     * without KDS tickets is acked); FAILED records the reason and makes the row due so it is
     * routed to another device: at once the first time, after {@code refusedAgain} when it was
     * refused before (so two devices that both refuse a ticket do not pass it back and forth in a
     * tight loop). A FAILED ack from a device the ticket has since been routed away from is stale
     * and ignored. A FAILED ack with reason {@value #MAYBE_PRINTED} (the job may be on paper there)
     * is never routed again: the ticket stays FAILED with that reason for staff, its outbox row is
     * completed ({@link AckOutcome#UNCERTAIN}; once only, a repeat is a DUPLICATE); a later PRINTED
     * ack from the device still acks it.
     */
    AckResult ack(
            String storeCode,
            String deviceId,
            UUID ticketId,
            boolean printed,
            String reason,
            Instant now,
            Duration refusedAgain) {
        List<MoveResult> moves = new ArrayList<>();
        AckResult result =
                transactions.inTransaction(
                        "ticket-ack",
                        c -> {
                            moves.clear();
                            String state;
                            UUID orderId;
                            Instant created;
                            String routedTo;
                            String failedFor;
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT t.state, t.order_id, t.created_at, t.device_id,"
                                                    + " t.failure_reason FROM kitchen_tickets t"
                                                    + " WHERE t.ticket_id = ?"
                                                    + " AND t.content->>'storeCode' = ?")) {
                                ps.setObject(1, ticketId);
                                ps.setString(2, storeCode);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (!rs.next()) {
                                        return new AckResult(AckOutcome.UNKNOWN_TICKET, null);
                                    }
                                    state = rs.getString(1);
                                    orderId = (UUID) rs.getObject(2);
                                    created = rs.getTimestamp(3).toInstant();
                                    routedTo = rs.getString(4);
                                    failedFor = rs.getString(5);
                                }
                            }
                            if ("ACKED".equals(state)) {
                                return new AckResult(AckOutcome.DUPLICATE, null);
                            }
                            if (!printed && !deviceId.equals(routedTo)) {
                                return new AckResult(AckOutcome.STALE, null);
                            }
                            if (!printed && MAYBE_PRINTED.equals(reason)) {
                                if ("FAILED".equals(state) && MAYBE_PRINTED.equals(failedFor)) {
                                    return new AckResult(AckOutcome.DUPLICATE, null);
                                }
                                return uncertain(c, ticketId, orderId, deviceId, now);
                            }
                            if (!printed) {
                                Instant due = "FAILED".equals(state) ? now.plus(refusedAgain) : now;
                                failAt(c, ticketId, deviceId, reason, now);
                                try (PreparedStatement ps =
                                        c.prepareStatement(
                                                "UPDATE outbox SET available_at = ?,"
                                                        + " claimed_by = NULL, claimed_until = NULL,"
                                                        + " last_error = ? WHERE aggregate_id = ?"
                                                        + " AND completed_at IS NULL")) {
                                    ps.setTimestamp(1, Timestamp.from(due));
                                    ps.setString(2, deviceId + " refused the ticket: " + reason);
                                    ps.setObject(3, ticketId);
                                    ps.executeUpdate();
                                }
                                return new AckResult(AckOutcome.REROUTED, null);
                            }
                            printed(
                                    c,
                                    ticketId,
                                    orderId,
                                    deviceId,
                                    DISPATCHER,
                                    "printed",
                                    moves,
                                    now);
                            return new AckResult(AckOutcome.ACKED, Duration.between(created, now));
                        });
        moves.forEach(transitions::afterCommit);
        return result;
    }

    /** What a KDS tablet reports about a ticket, in the order a ticket goes through them. */
    enum KdsStatus {
        DISPLAYED,
        COOKING,
        READY
    }

    /** What a KDS ack did. */
    enum KdsOutcome {
        /** First ack of the ticket: it is delivered (never published again). */
        DELIVERED,
        /** The ticket moved further on the tablet. */
        ADVANCED,
        /** Nothing new: a repeated ack, or one overtaken by a later status. */
        DUPLICATE,
        /** Not from the KDS tablet the ticket was routed to; ignored. */
        REFUSED,
        UNKNOWN_TICKET
    }

    /**
     * An applied KDS ack.
     *
     * @param sinceAccepted the ticket's age when DELIVERED, else null
     * @param refusal why it was REFUSED, else null
     */
    record KdsResult(KdsOutcome outcome, Duration sinceAccepted, String refusal) {}

    /**
     * Applies an ack of KDS tablet {@code deviceId}: the first one delivers the ticket (ACKED, its
     * outbox row completed), a status further than the one recorded is recorded (DISPLAYED <
     * COOKING < READY; an earlier or equal one is a duplicate), and the order moves as {@link
     * KitchenProgress} says, with actor {@code SYSTEM device:<deviceId>}. Refused when the ticket
     * is not routed to that device or the device is not a registered KDS tablet.
     */
    KdsResult kdsAck(
            String storeCode, String deviceId, UUID ticketId, KdsStatus status, Instant now) {
        List<MoveResult> moves = new ArrayList<>();
        Actor actor = new Actor(ActorKind.SYSTEM, "device:" + deviceId);
        KdsResult result =
                transactions.inTransaction(
                        "kds-ack",
                        c -> {
                            moves.clear();
                            String state;
                            UUID orderId;
                            Instant created;
                            String routedTo;
                            String recorded;
                            UUID storeId;
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT t.state, t.order_id, t.created_at, t.device_id,"
                                                    + " t.kds_status, s.store_id"
                                                    + " FROM kitchen_tickets t JOIN stores s"
                                                    + " ON s.store_code = t.content->>'storeCode'"
                                                    + " WHERE t.ticket_id = ?"
                                                    + " AND s.store_code = ?")) {
                                ps.setObject(1, ticketId);
                                ps.setString(2, storeCode);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (!rs.next()) {
                                        return new KdsResult(KdsOutcome.UNKNOWN_TICKET, null, null);
                                    }
                                    state = rs.getString(1);
                                    orderId = (UUID) rs.getObject(2);
                                    created = rs.getTimestamp(3).toInstant();
                                    routedTo = rs.getString(4);
                                    recorded = rs.getString(5);
                                    storeId = (UUID) rs.getObject(6);
                                }
                            }
                            if (!deviceId.equals(routedTo)) {
                                return new KdsResult(
                                        KdsOutcome.REFUSED,
                                        null,
                                        routedTo == null
                                                ? "the ticket is not routed to any device yet"
                                                : "the ticket is routed to " + routedTo);
                            }
                            String type = null;
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT device_type FROM kitchen_devices"
                                                    + " WHERE store_id = ? AND device_id = ?"
                                                    + " AND deregistered_at IS NULL")) {
                                ps.setObject(1, storeId);
                                ps.setString(2, deviceId);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (rs.next()) {
                                        type = rs.getString(1);
                                    }
                                }
                            }
                            if (!"KDS_TABLET".equals(type)) {
                                return new KdsResult(
                                        KdsOutcome.REFUSED,
                                        null,
                                        type == null
                                                ? "the device is not registered"
                                                : "the device is a " + type + ", not a KDS tablet");
                            }
                            boolean deliver = !"ACKED".equals(state);
                            boolean further =
                                    recorded == null
                                            || status.compareTo(KdsStatus.valueOf(recorded)) > 0;
                            if (!deliver && !further) {
                                return new KdsResult(KdsOutcome.DUPLICATE, null, null);
                            }
                            if (deliver) {
                                try (PreparedStatement ps =
                                        c.prepareStatement(
                                                "UPDATE kitchen_tickets SET state = 'ACKED',"
                                                        + " acked_at = ?, failure_reason = NULL,"
                                                        + " updated_at = ? WHERE ticket_id = ?")) {
                                    ps.setTimestamp(1, Timestamp.from(now));
                                    ps.setTimestamp(2, Timestamp.from(now));
                                    ps.setObject(3, ticketId);
                                    ps.executeUpdate();
                                }
                                complete(c, ticketId, now);
                            }
                            if (further) {
                                try (PreparedStatement ps =
                                        c.prepareStatement(
                                                "UPDATE kitchen_tickets SET kds_status = ?,"
                                                        + " kds_updated_at = ?, updated_at = ?"
                                                        + " WHERE ticket_id = ?")) {
                                    ps.setString(1, status.name());
                                    ps.setTimestamp(2, Timestamp.from(now));
                                    ps.setTimestamp(3, Timestamp.from(now));
                                    ps.setObject(4, ticketId);
                                    ps.executeUpdate();
                                }
                            }
                            KitchenProgress.advance(
                                    c,
                                    transitions,
                                    orderId,
                                    actor,
                                    // displayed is a delivery, not a move: only a bump moves
                                    status != KdsStatus.DISPLAYED,
                                    status.name().toLowerCase(java.util.Locale.ROOT)
                                            + " on the KDS",
                                    moves);
                            return deliver
                                    ? new KdsResult(
                                            KdsOutcome.DELIVERED,
                                            Duration.between(created, now),
                                            null)
                                    : new KdsResult(KdsOutcome.ADVANCED, null, null);
                        });
        moves.forEach(transitions::afterCommit);
        return result;
    }

    /**
     * Makes a ticket printed at {@code deviceId}: ACKED, outbox row completed, and the order moved
     * as {@link KitchenProgress} says, by {@code actor}. The one path for a PRINTED ack and for
     * staff who found the ticket on paper.
     */
    private void printed(
            Connection c,
            UUID ticketId,
            UUID orderId,
            String deviceId,
            Actor actor,
            String why,
            List<MoveResult> moves,
            Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE kitchen_tickets SET state = 'ACKED', acked_at = ?, device_id = ?,"
                                + " failure_reason = NULL, updated_at = ? WHERE ticket_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, deviceId);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setObject(4, ticketId);
            ps.executeUpdate();
        }
        complete(c, ticketId, now);
        KitchenProgress.advance(c, transitions, orderId, actor, true, why, moves);
    }

    /** What staff found for a ticket parked as maybe printed. */
    public enum Resolution {
        /** It is on paper at its device: printed. */
        ON_PAPER,
        /** It is not: dispatch it again. */
        REPRINT
    }

    /**
     * A ticket after ResolveTicket.
     *
     * @param changed false when the ticket had already been resolved this way (nothing done)
     * @param storeCode the ticket's store
     */
    public record ResolvedTicket(
            boolean changed,
            UUID ticketId,
            UUID orderId,
            String storeCode,
            String station,
            String deviceId,
            String state,
            String failureReason) {}

    /**
     * Applies staff's resolution of a ticket parked as maybe printed ({@link
     * AckOutcome#UNCERTAIN}), recording it as an event of its order (from and to the order's
     * current state) with {@code actor} and {@code reason}. ON_PAPER takes the PRINTED ack's path
     * ({@link #printed}); REPRINT makes the ticket PENDING and its outbox row due now, on {@code
     * deviceId} when given (kept there by {@link #route} while that device is healthy), else
     * unrouted. Resolving a ticket the way it was already resolved changes nothing.
     *
     * @throws KitchenNotFoundException for an unknown ticket, or a {@code deviceId} that is not
     *     registered for the ticket's station
     * @throws io.scanorder.order.state.OrderRuleException when the ticket is not parked as maybe
     *     printed (and was not already resolved this way)
     */
    ResolvedTicket resolve(
            UUID ticketId,
            Resolution outcome,
            String deviceId,
            Actor actor,
            String reason,
            Instant now) {
        List<MoveResult> moves = new ArrayList<>();
        ResolvedTicket result =
                transactions.inTransaction(
                        "ticket-resolve",
                        c -> {
                            moves.clear();
                            String state;
                            UUID orderId;
                            String routedTo;
                            String failedFor;
                            String station;
                            String storeCode;
                            UUID storeId;
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "SELECT t.state, t.order_id, t.device_id,"
                                                    + " t.failure_reason, t.station, s.store_code,"
                                                    + " s.store_id FROM kitchen_tickets t"
                                                    + " JOIN stores s"
                                                    + " ON s.store_code = t.content->>'storeCode'"
                                                    + " WHERE t.ticket_id = ?")) {
                                ps.setObject(1, ticketId);
                                try (ResultSet rs = ps.executeQuery()) {
                                    if (!rs.next()) {
                                        throw new KitchenNotFoundException(
                                                "kitchen ticket " + ticketId + " does not exist");
                                    }
                                    state = rs.getString(1);
                                    orderId = (UUID) rs.getObject(2);
                                    routedTo = rs.getString(3);
                                    failedFor = rs.getString(4);
                                    station = rs.getString(5);
                                    storeCode = rs.getString(6);
                                    storeId = (UUID) rs.getObject(7);
                                }
                            }
                            String marker =
                                    "kitchen ticket " + ticketId + " resolved " + outcome.name();
                            boolean parked =
                                    "FAILED".equals(state) && MAYBE_PRINTED.equals(failedFor);
                            if (!parked) {
                                boolean sameAgain =
                                        (outcome == Resolution.REPRINT || "ACKED".equals(state))
                                                && resolvedBefore(c, orderId, marker);
                                if (!sameAgain) {
                                    throw new io.scanorder.order.state.OrderRuleException(
                                            "kitchen ticket "
                                                    + ticketId
                                                    + " is "
                                                    + state
                                                    + (failedFor == null
                                                            ? ""
                                                            : " (" + failedFor + ")")
                                                    + (routedTo == null ? "" : " on " + routedTo)
                                                    + ", not parked as maybe printed (FAILED "
                                                    + MAYBE_PRINTED
                                                    + "): only such a ticket can be resolved "
                                                    + outcome.name());
                                }
                                return new ResolvedTicket(
                                        false, ticketId, orderId, storeCode, station, routedTo,
                                        state, failedFor);
                            }
                            if (deviceId != null
                                    && DeviceRouter.device(c, storeId, station, deviceId)
                                            .isEmpty()) {
                                throw new KitchenNotFoundException(
                                        "device "
                                                + deviceId
                                                + " is not registered for station '"
                                                + station
                                                + "' in store "
                                                + storeCode);
                            }
                            OrderState orderState = orderState(c, orderId);
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "INSERT INTO order_events (order_id, from_state,"
                                                    + " to_state, actor_kind, actor_id, reason,"
                                                    + " occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                                ps.setObject(1, orderId);
                                ps.setString(2, orderState.name());
                                ps.setString(3, orderState.name());
                                ps.setString(4, actor.kind().name());
                                ps.setString(5, actor.id());
                                ps.setString(
                                        6,
                                        marker
                                                + " (station "
                                                + station
                                                + ", was on "
                                                + routedTo
                                                + (deviceId == null
                                                        ? ""
                                                        : ", reprint on " + deviceId)
                                                + ")"
                                                + (reason.isEmpty() ? "" : ": " + reason));
                                ps.setTimestamp(7, Timestamp.from(now));
                                ps.executeUpdate();
                            }
                            if (outcome == Resolution.ON_PAPER) {
                                printed(
                                        c,
                                        ticketId,
                                        orderId,
                                        routedTo,
                                        actor,
                                        "found on paper by staff",
                                        moves,
                                        now);
                                return new ResolvedTicket(
                                        true, ticketId, orderId, storeCode, station, routedTo,
                                        "ACKED", null);
                            }
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "UPDATE kitchen_tickets SET state = 'PENDING',"
                                                    + " failure_reason = NULL, device_id = ?,"
                                                    + " updated_at = ? WHERE ticket_id = ?")) {
                                ps.setString(1, deviceId);
                                ps.setTimestamp(2, Timestamp.from(now));
                                ps.setObject(3, ticketId);
                                ps.executeUpdate();
                            }
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "UPDATE outbox SET completed_at = NULL,"
                                                    + " available_at = ?, claimed_by = NULL,"
                                                    + " claimed_until = NULL, last_error = ?"
                                                    + " WHERE aggregate_id = ?")) {
                                ps.setTimestamp(1, Timestamp.from(now));
                                ps.setString(2, "reprint requested by " + actor);
                                ps.setObject(3, ticketId);
                                ps.executeUpdate();
                            }
                            return new ResolvedTicket(
                                    true, ticketId, orderId, storeCode, station, deviceId,
                                    "PENDING", null);
                        });
        moves.forEach(transitions::afterCommit);
        return result;
    }

    private static boolean resolvedBefore(Connection c, UUID orderId, String marker)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT 1 FROM order_events WHERE order_id = ? AND reason LIKE ?")) {
            ps.setObject(1, orderId);
            // the marker is a fixed phrase with a UUID: no LIKE wildcards in it
            ps.setString(2, marker + " %");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    static OrderState orderState(Connection c, UUID orderId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT state FROM orders WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return OrderState.parse(rs.getString(1));
            }
        }
    }

    /** Marks the ticket FAILED at {@code deviceId} for {@code reason}. */
    private static void failAt(
            Connection c, UUID ticketId, String deviceId, String reason, Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE kitchen_tickets SET state = 'FAILED', failure_reason = ?,"
                                + " device_id = ?, updated_at = ? WHERE ticket_id = ?")) {
            ps.setString(1, reason);
            ps.setString(2, deviceId);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setObject(4, ticketId);
            ps.executeUpdate();
        }
    }

    /**
     * Parks a ticket that may be on paper at {@code deviceId}: FAILED with reason {@value
     * #MAYBE_PRINTED} on that device, outbox row completed so no dispatcher publishes it again.
     */
    private static AckResult uncertain(
            Connection c, UUID ticketId, UUID orderId, String deviceId, Instant now)
            throws SQLException {
        failAt(c, ticketId, deviceId, MAYBE_PRINTED, now);
        complete(
                c,
                ticketId,
                now,
                deviceId
                        + " may have printed the ticket (interrupted mid-print): not routed"
                        + " again, staff check the printer");
        String pickup = null;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT pickup_number FROM orders WHERE order_id = ?")) {
            ps.setObject(1, orderId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    pickup = rs.getString(1);
                }
            }
        }
        return new AckResult(AckOutcome.UNCERTAIN, null, pickup);
    }

    static void complete(Connection c, UUID ticketId, Instant now) throws SQLException {
        complete(c, ticketId, now, null);
    }

    /**
     * Marks the ticket's outbox row done so no dispatcher publishes it again; {@code lastError},
     * when not null, says why it ended without a print.
     */
    private static void complete(Connection c, UUID ticketId, Instant now, String lastError)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE outbox SET completed_at = ?, claimed_by = NULL,"
                                + " claimed_until = NULL, last_error = COALESCE(?, last_error)"
                                + " WHERE aggregate_id = ? AND completed_at IS NULL")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, lastError);
            ps.setObject(3, ticketId);
            ps.executeUpdate();
        }
    }

    private static void release(
            Connection c, UUID messageId, Instant availableAt, String error, Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE outbox SET available_at = ?, claimed_by = NULL,"
                                + " claimed_until = NULL, last_error = ? WHERE message_id = ?")) {
            ps.setTimestamp(1, Timestamp.from(availableAt));
            ps.setString(2, error);
            ps.setObject(3, messageId);
            ps.executeUpdate();
        }
    }
}
