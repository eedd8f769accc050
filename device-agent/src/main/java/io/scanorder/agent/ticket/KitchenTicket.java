package io.scanorder.agent.ticket;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One kitchen ticket for one station: what the device must print (or show) once. Built only by
 * {@link TicketCodec}, which validates every field.
 *
 * @param ticketId unique id; the de-duplication key across agent restarts
 * @param orderNo the order number staff call out
 * @param storeCode 3-digit store code
 * @param table table label, e.g. {@code A12}
 * @param station kitchen station, e.g. {@code hot}
 * @param createdAt when the order was accepted
 * @param lines dishes, at least one
 * @param copies how many copies to print, 1..5
 */
public record KitchenTicket(
        String ticketId,
        String orderNo,
        String storeCode,
        String table,
        String station,
        Instant createdAt,
        List<Line> lines,
        int copies) {

    /**
     * One dish.
     *
     * @param name dish name
     * @param qty how many, 1..999
     * @param spec chosen specification (size, flavour), or empty
     * @param notes diner's notes, or empty
     */
    public record Line(String name, int qty, String spec, String notes) {
        public Line {
            Objects.requireNonNull(name, "name");
            spec = spec == null ? "" : spec;
            notes = notes == null ? "" : notes;
        }
    }

    public KitchenTicket {
        Objects.requireNonNull(ticketId, "ticketId");
        Objects.requireNonNull(createdAt, "createdAt");
        lines = List.copyOf(lines);
    }
}
