package io.scanorder.agent.ticket;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.scanorder.agent.printer.FailureReason;
import java.nio.charset.StandardCharsets;

/**
 * What the device tells the server about one ticket on the {@code acks} topic: {@code
 * {"ticketId":"T-1","status":"PRINTED"}} or {@code
 * {"ticketId":"T-1","status":"FAILED","reason":"PAPER_OUT","detail":"not printed: paper out"}}.
 *
 * @param ticketId the ticket
 * @param printed true if on paper and confirmed by the printer
 * @param reason why not, null when printed
 * @param detail human-readable detail, empty when printed
 */
public record TicketAck(String ticketId, boolean printed, FailureReason reason, String detail) {

    public static TicketAck printed(String ticketId) {
        return new TicketAck(ticketId, true, null, "");
    }

    public static TicketAck failed(String ticketId, FailureReason reason, String detail) {
        return new TicketAck(ticketId, false, reason, detail);
    }

    /** The JSON payload. */
    public byte[] encode() {
        StringBuilder json = new StringBuilder(96).append('{');
        field(json, "ticketId", ticketId).append(',');
        field(json, "status", printed ? "PRINTED" : "FAILED");
        if (!printed) {
            field(json.append(','), "reason", reason.name()).append(',');
            field(json, "detail", detail);
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static StringBuilder field(StringBuilder json, String name, String value) {
        // Jackson's encoder escapes per RFC 8259 (quotes, backslashes, control characters).
        return json.append('"')
                .append(name)
                .append("\":\"")
                .append(JsonStringEncoder.getInstance().quoteAsString(value))
                .append('"');
    }
}
