package io.scanorder.agent.ticket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TicketCodecTest {

    private static final String VALID =
            """
            {"ticketId":"T-0042-hot","orderNo":"0042","storeCode":"001","table":"A12",
             "station":"hot","createdAt":"2025-01-01T04:34:00Z","copies":2,
             "lines":[{"name":"宫保鸡丁","qty":2,"spec":"大份","notes":"不要辣"},
                      {"name":"Coke","qty":1}]}
            """;

    private final TicketCodec codec = new TicketCodec();

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validTicketIsReadAndRoundTrips() throws Exception {
        KitchenTicket ticket = codec.decode(utf8(VALID));

        assertThat(ticket)
                .isEqualTo(
                        new KitchenTicket(
                                "T-0042-hot",
                                "0042",
                                "001",
                                "A12",
                                "hot",
                                Instant.parse("2025-01-01T04:34:00Z"),
                                List.of(
                                        new KitchenTicket.Line("宫保鸡丁", 2, "大份", "不要辣"),
                                        new KitchenTicket.Line("Coke", 1, "", "")),
                                2));
        assertThat(codec.decode(codec.encode(ticket))).isEqualTo(ticket);
        assertThat(codec.rejectedCount()).isZero();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "\"ticketId\":\"T-0042-hot\"|ticketId is required",
                "\"ticketId\":\"T-0042-hot\"|ticketId must match",
                "\"storeCode\":\"001\"|storeCode must match [0-9]{3} but was '01'",
                "\"copies\":2|copies must be between 1 and 5 but was 9",
                "\"copies\":2|copies must be a whole number but was string \"2\"",
                "\"createdAt\":\"2025-01-01T04:34:00Z\"|createdAt must be an ISO-8601 instant",
                "\"qty\":2|lines[0].qty must be between 1 and 999 but was 0",
                "\"name\":\"Coke\"|lines[1].name must not contain control characters",
                "\"station\":\"hot\"|unknown field 'stationx'",
                "\"qty\":1}|unknown field 'lines[1].price'",
            })
    void invalidFieldIsRefusedWithItsPath(String original, String expected) {
        String replacement =
                switch (expected) {
                    case "ticketId is required" -> "\"ticketId\":null";
                    case "ticketId must match" -> "\"ticketId\":\"T 42/#\"";
                    case "storeCode must match [0-9]{3} but was '01'" -> "\"storeCode\":\"01\"";
                    case "copies must be between 1 and 5 but was 9" -> "\"copies\":9";
                    case "copies must be a whole number but was string \"2\"" -> "\"copies\":\"2\"";
                    case "createdAt must be an ISO-8601 instant" -> "\"createdAt\":\"yesterday\"";
                    case "lines[0].qty must be between 1 and 999 but was 0" -> "\"qty\":0";
                    case "lines[1].name must not contain control characters" ->
                            "\"name\":\"Co\\u001dVke\"";
                    case "unknown field 'stationx'" -> "\"station\":\"hot\",\"stationx\":1";
                    default -> "\"qty\":1,\"price\":100}";
                };
        String payload = VALID.replace(original, replacement);
        assertThat(payload).isNotEqualTo(VALID);

        assertThatThrownBy(() -> codec.decode(utf8(payload)))
                .isInstanceOf(TicketRejectedException.class)
                .hasMessageStartingWith(expected);
        assertThat(codec.rejectedCount()).isEqualTo(1);
    }

    @Test
    void garbageAndOversizedPayloadsAreRefusedAndCounted() {
        assertThatThrownBy(() -> codec.decode(new byte[] {(byte) 0xFF, 0x00, 0x13}))
                .hasMessageStartingWith("ticket payload is not valid JSON");
        assertThatThrownBy(() -> codec.decode(utf8("[1,2]")))
                .hasMessageStartingWith("ticket must be a JSON object but was array");
        assertThatThrownBy(() -> codec.decode(utf8(VALID + "{}")))
                .hasMessageStartingWith("ticket payload is not valid JSON");
        assertThatThrownBy(() -> codec.decode(new byte[0])).hasMessage("ticket payload is empty");
        byte[] huge = new byte[TicketCodec.MAX_BYTES + 1];
        assertThatThrownBy(() -> codec.decode(huge))
                .hasMessage("ticket payload is 16385 bytes, more than 16384");
        assertThatThrownBy(
                        () ->
                                codec.decode(
                                        utf8(
                                                VALID.replace(
                                                        "\"copies\":2",
                                                        "\"copies\":2,\"copies\":3"))))
                .hasMessageStartingWith("ticket payload is not valid JSON");
        assertThat(codec.rejectedCount()).isEqualTo(6);
    }
}
