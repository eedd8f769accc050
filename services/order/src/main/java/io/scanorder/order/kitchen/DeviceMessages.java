package io.scanorder.order.kitchen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Reads what devices publish ({@code acks}, {@code heartbeat}, {@code alarms}, {@code status}) in
 * the device agent's formats and applies it. Anything unreadable is logged with the topic and the
 * reason, counted in {@code scanorder_mqtt_payloads_rejected_total{channel}} and dropped: a bad
 * payload never stops the consumer.
 */
@ApplicationScoped
public class DeviceMessages {
    private static final Logger LOG = Logger.getLogger(DeviceMessages.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 4096;
    private static final Set<String> FAILURE_REASONS =
            Set.of(
                    "PAPER_OUT",
                    "COVER_OPEN",
                    "PRINTER_UNREACHABLE",
                    "PRINTER_ERROR",
                    "INTERRUPTED");
    private static final Set<String> KDS_STATUSES = Set.of("DISPLAYED", "COOKING", "READY");
    private static final Set<String> ALARMS =
            Set.of("PAPER_OUT", "PAPER_LOW", "COVER_OPEN", "PRINTER_UNREACHABLE");
    private static final java.util.regex.Pattern CONFIG_REVISION =
            java.util.regex.Pattern.compile("[A-Za-z0-9._-]{0,64}");
    private static final Set<String> PAPER = Set.of("OK", "LOW", "OUT", "UNKNOWN");
    private static final Set<String> COVER = Set.of("CLOSED", "OPEN", "UNKNOWN");
    private static final Set<String> PRINTER =
            Set.of("ONLINE", "OFFLINE", "UNREACHABLE", "UNKNOWN");

    private final TicketOutbox outbox;
    private final DeviceHealthUpdates health;
    private final KitchenMetrics metrics;
    private final KitchenConfig config;

    /** Field-injected so the constructor stays as it is for callers that build this directly. */
    @Inject HeartbeatWriter heartbeats;

    @Inject
    public DeviceMessages(
            TicketOutbox outbox,
            DeviceHealthUpdates health,
            KitchenMetrics metrics,
            KitchenConfig config) {
        this.outbox = outbox;
        this.health = health;
        this.metrics = metrics;
        this.config = config;
    }

    /** A payload that cannot be used, with the reason naming the field. */
    static final class BadPayload extends Exception {
        BadPayload(String message) {
            super(message);
        }
    }

    /** Handles one message; never throws for bad input. */
    public void handle(String topic, byte[] payload) {
        Optional<KitchenTopics.DeviceTopic> parsed = KitchenTopics.parse(topic);
        String channel = parsed.map(KitchenTopics.DeviceTopic::channel).orElse("unknown");
        try {
            if (parsed.isEmpty()) {
                throw new BadPayload("not a device topic scanorder/{store}/devices/{device}/...");
            }
            if (payload == null || payload.length > MAX_BYTES) {
                throw new BadPayload(
                        "payload of "
                                + (payload == null ? 0 : payload.length)
                                + " bytes; at most "
                                + MAX_BYTES
                                + " expected");
            }
            KitchenTopics.DeviceTopic t = parsed.get();
            Instant now = Instant.now();
            switch (t.channel()) {
                case KitchenTopics.ACKS -> ack(t, payload, now);
                case KitchenTopics.HEARTBEAT -> heartbeat(t, payload, now);
                case KitchenTopics.ALARMS -> alarm(t, payload);
                case KitchenTopics.STATUS -> status(t, payload, now);
                default -> throw new BadPayload("channel '" + t.channel() + "' is not consumed");
            }
        } catch (BadPayload e) {
            metrics.rejectedPayload(channel);
            LOG.warnf(
                    "dropped MQTT payload on %s: %s (payload starts: %s)",
                    topic, e.getMessage(), preview(payload));
        }
    }

    private void ack(KitchenTopics.DeviceTopic t, byte[] payload, Instant now) throws BadPayload {
        JsonNode json = object(payload);
        String id = text(json, "ticketId");
        UUID ticketId;
        try {
            ticketId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new BadPayload("ticketId must be a ticket UUID but was '" + id + "'");
        }
        String status = text(json, "status");
        boolean printed;
        String reason = null;
        if (status.equals("PRINTED")) {
            printed = true;
        } else if (status.equals("FAILED")) {
            printed = false;
            reason = oneOf(json, "reason", FAILURE_REASONS);
        } else if (KDS_STATUSES.contains(status)) {
            kdsAck(t, ticketId, TicketOutbox.KdsStatus.valueOf(status), now);
            return;
        } else {
            throw new BadPayload(
                    "status must be one of [PRINTED, FAILED, DISPLAYED, COOKING, READY] but was '"
                            + status
                            + "'");
        }
        TicketOutbox.AckResult r =
                outbox.ack(
                        t.storeCode(),
                        t.deviceId(),
                        ticketId,
                        printed,
                        reason,
                        now,
                        config.dispatch().retryInitial());
        switch (r.outcome()) {
            case ACKED -> metrics.printed(r.sinceAccepted());
            case DUPLICATE -> metrics.duplicateAck();
            case REROUTED ->
                    LOG.warnf(
                            "device %s of store %s could not print ticket %s (%s): routing it to"
                                    + " another device",
                            t.deviceId(), t.storeCode(), ticketId, reason);
            case UNCERTAIN -> {
                metrics.uncertainTicket(t.storeCode(), t.deviceId());
                LOG.errorf(
                        "ticket %s (pickup number %s) may be on paper at device %s of store %s:"
                                + " %s. It is NOT sent to another printer (that could print it"
                                + " twice). Staff: look at printer %s for pickup number %s, then"
                                + " call OrderService/ResolveTicket with this ticket id: ON_PAPER"
                                + " if it is there and complete, REPRINT if it is missing or torn"
                                + " (runbook: 'Ticket maybe printed')",
                        ticketId,
                        r.pickupNumber(),
                        t.deviceId(),
                        t.storeCode(),
                        json.path("detail").asText("interrupted mid-print"),
                        t.deviceId(),
                        r.pickupNumber());
            }
            case STALE ->
                    LOG.debugf(
                            "late FAILED ack of ticket %s from %s ignored: it went elsewhere",
                            ticketId, t.deviceId());
            case UNKNOWN_TICKET ->
                    throw new BadPayload("ticket " + ticketId + " is unknown in this store");
        }
    }

    private void kdsAck(
            KitchenTopics.DeviceTopic t, UUID ticketId, TicketOutbox.KdsStatus status, Instant now)
            throws BadPayload {
        TicketOutbox.KdsResult r =
                outbox.kdsAck(t.storeCode(), t.deviceId(), ticketId, status, now);
        switch (r.outcome()) {
            case DELIVERED -> metrics.printed(r.sinceAccepted());
            case ADVANCED ->
                    LOG.debugf("ticket %s is %s on KDS %s", ticketId, status, t.deviceId());
            case DUPLICATE -> metrics.duplicateAck();
            case REFUSED -> {
                metrics.refusedAck(status.name());
                LOG.warnf(
                        "refused %s ack of ticket %s from device %s of store %s: %s. The"
                                + " ticket's order does not move; check the device's"
                                + " registration and station routing",
                        status, ticketId, t.deviceId(), t.storeCode(), r.refusal());
            }
            case UNKNOWN_TICKET ->
                    throw new BadPayload("ticket " + ticketId + " is unknown in this store");
        }
    }

    private void heartbeat(KitchenTopics.DeviceTopic t, byte[] payload, Instant now)
            throws BadPayload {
        JsonNode json = object(payload);
        JsonNode depth = json.get("queueDepth");
        if (depth == null
                || !depth.canConvertToInt()
                || !depth.isIntegralNumber()
                || depth.intValue() < 0) {
            throw new BadPayload("queueDepth must be a whole number >= 0");
        }
        String version = text(json, "agentVersion");
        String configRevision = null;
        JsonNode revision = json.get("configRevision");
        if (revision != null) {
            if (!revision.isTextual() || !CONFIG_REVISION.matcher(revision.textValue()).matches()) {
                throw new BadPayload(
                        "configRevision must be \"\" or up to 64 letters, digits, '.', '_' or"
                                + " '-'");
            }
            configRevision = revision.textValue();
        }
        DeviceHealthUpdates.Heartbeat hb =
                new DeviceHealthUpdates.Heartbeat(
                        oneOf(json, "paper", PAPER),
                        oneOf(json, "cover", COVER),
                        oneOf(json, "printer", PRINTER),
                        depth.intValue(),
                        version.length() > 32 ? version.substring(0, 32) : version,
                        configRevision);
        // written by the heartbeat writer's thread, in batches: never a transaction on this one
        heartbeats.offer(t.storeCode(), t.deviceId(), hb, now);
    }

    private void alarm(KitchenTopics.DeviceTopic t, byte[] payload) throws BadPayload {
        JsonNode json = object(payload);
        String alarm = oneOf(json, "alarm", ALARMS);
        String state = oneOf(json, "state", Set.of("RAISED", "CLEARED"));
        String at = text(json, "at");
        Instant raisedAt;
        try {
            raisedAt = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new BadPayload("at must be an ISO-8601 instant but was '" + at + "'");
        }
        JsonNode detailNode = json.get("detail");
        String detail = detailNode == null || !detailNode.isTextual() ? "" : detailNode.asText();
        detail = TicketPayload.clip(detail, 200);
        if (!health.alarm(
                t.storeCode(), t.deviceId(), alarm, state.equals("RAISED"), raisedAt, detail)) {
            LOG.debugf("alarm of unregistered device %s/%s ignored", t.storeCode(), t.deviceId());
        }
    }

    private void status(KitchenTopics.DeviceTopic t, byte[] payload, Instant now)
            throws BadPayload {
        String text = new String(payload, StandardCharsets.UTF_8);
        boolean online;
        if (text.equals("online")) {
            online = true;
        } else if (text.equals("offline")) {
            online = false;
        } else {
            throw new BadPayload("status must be 'online' or 'offline'");
        }
        if (!online && heartbeats != null) {
            // a heartbeat still waiting was sent before the will: it must not revive the device
            heartbeats.discard(t.storeCode(), t.deviceId());
        }
        health.status(t.storeCode(), t.deviceId(), online, now);
    }

    private static JsonNode object(byte[] payload) throws BadPayload {
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (IOException e) {
            throw new BadPayload("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (json == null || !json.isObject()) {
            throw new BadPayload("must be a JSON object");
        }
        return json;
    }

    private static String text(JsonNode json, String field) throws BadPayload {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual()) {
            throw new BadPayload(field + " must be a string");
        }
        return v.textValue();
    }

    private static String oneOf(JsonNode json, String field, Set<String> allowed)
            throws BadPayload {
        String v = text(json, field);
        if (!allowed.contains(v)) {
            throw new BadPayload(
                    field
                            + " must be one of "
                            + new java.util.TreeSet<>(allowed)
                            + " but was '"
                            + v
                            + "'");
        }
        return v;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    private static String preview(byte[] payload) {
        if (payload == null) {
            return "";
        }
        String s = new String(payload, 0, Math.min(payload.length, 60), StandardCharsets.UTF_8);
        return TicketPayload.clip(s, 60);
    }
}
