package io.scanorder.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.agent.config.AgentConfig.DeviceType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeviceConfigCodecTest {

    private static final String PRINTER_DOC =
            "{\"schema\":1,\"revision\":\"5f0c2a9e41d7b3c8\",\"storeCode\":\"001\","
                    + "\"deviceId\":\"hot-printer-1\",\"type\":\"PRINTER\",\"role\":\"BACKUP\","
                    + "\"stations\":[\"hot\",\"cold\"],\"heartbeatIntervalSeconds\":15,"
                    + "\"printer\":{\"paperWidthMm\":58,\"copies\":2,\"cut\":false}}";

    private final DeviceConfigCodec printer =
            new DeviceConfigCodec("001", "hot-printer-1", DeviceType.PRINTER);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private String refusal(DeviceConfigCodec codec, String doc) {
        return assertThatThrownBy(() -> codec.decode(bytes(doc)))
                .isInstanceOf(DeviceConfigException.class)
                .actual()
                .getMessage();
    }

    @Test
    void readsEveryFieldOfAPrinterDocument() throws Exception {
        DeviceConfig c = printer.decode(bytes(PRINTER_DOC));

        assertThat(c.schema()).isEqualTo(1);
        assertThat(c.revision()).isEqualTo("5f0c2a9e41d7b3c8");
        assertThat(c.type()).isEqualTo(DeviceType.PRINTER);
        assertThat(c.role()).isEqualTo("BACKUP");
        assertThat(c.stations()).containsExactly("hot", "cold");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.printer()).isEqualTo(new DeviceConfig.Printer(58, 2, false));
    }

    @Test
    void encodedDocumentReadsBackTheSame() throws Exception {
        DeviceConfig c = printer.decode(bytes(PRINTER_DOC));
        assertThat(printer.decode(DeviceConfigCodec.encode(c))).isEqualTo(c);
    }

    @Test
    void fieldsThisSchemaDoesNotKnowAreIgnored() throws Exception {
        String doc = PRINTER_DOC.replace("\"role\"", "\"futureField\":{\"x\":1},\"role\"");
        assertThat(printer.decode(bytes(doc)).role()).isEqualTo("BACKUP");
    }

    @Test
    void anotherSchemaVersionIsRefusedSayingWhichOneThisAgentReads() {
        assertThat(refusal(printer, PRINTER_DOC.replace("\"schema\":1", "\"schema\":2")))
                .isEqualTo(
                        "schema 2 is not supported: this agent reads schema 1 (upgrade the agent"
                                + " to use newer settings)");
    }

    @Test
    void documentForAnotherDeviceIsRefused() {
        assertThat(refusal(printer, PRINTER_DOC.replace("hot-printer-1", "cold-printer-2")))
                .startsWith("deviceId is 'cold-printer-2' but this agent is 'hot-printer-1'");
        assertThat(refusal(printer, PRINTER_DOC.replace("\"001\"", "\"002\"")))
                .startsWith("storeCode is '002' but this agent is '001'");
        assertThat(
                        refusal(
                                new DeviceConfigCodec(
                                        "001", "hot-printer-1", DeviceType.KDS_TABLET),
                                PRINTER_DOC))
                .startsWith("type is 'PRINTER' but this agent runs a kds-tablet");
    }

    @Test
    void badValuesAreRefusedNamingTheField() {
        assertThat(
                        refusal(
                                printer,
                                PRINTER_DOC.replace("\"paperWidthMm\":58", "\"paperWidthMm\":60")))
                .isEqualTo("printer.paperWidthMm must be 58 or 80 but was 60");
        assertThat(refusal(printer, PRINTER_DOC.replace("\"copies\":2", "\"copies\":9")))
                .isEqualTo("printer.copies must be between 1 and 5 but was 9");
        assertThat(refusal(printer, PRINTER_DOC.replace("\"cut\":false", "\"cut\":\"no\"")))
                .isEqualTo("printer.cut must be true or false");
        assertThat(
                        refusal(
                                printer,
                                PRINTER_DOC.replace(
                                        "\"heartbeatIntervalSeconds\":15",
                                        "\"heartbeatIntervalSeconds\":0")))
                .isEqualTo("heartbeatIntervalSeconds must be between 1 and 3600 but was 0");
        assertThat(refusal(printer, PRINTER_DOC.replace("\"BACKUP\"", "\"LEADER\"")))
                .isEqualTo("role must be PRIMARY or BACKUP but was 'LEADER'");
        assertThat(refusal(printer, PRINTER_DOC.replace("\"cold\"", "\"Cold!\"")))
                .startsWith("stations[1] must match");
        assertThat(refusal(printer, PRINTER_DOC.replace("5f0c2a9e41d7b3c8", "a b")))
                .startsWith("revision must be 1-64 letters");
        assertThat(
                        refusal(
                                printer,
                                PRINTER_DOC.replace(
                                        ",\"printer\":{\"paperWidthMm\":58,\"copies\":2,\"cut\":false}",
                                        "")))
                .isEqualTo("printer must be an object for a printer");
    }

    @Test
    void garbageEmptyAndOversizedPayloadsAreRefused() {
        assertThat(refusal(printer, "not json at all")).startsWith("not valid JSON");
        assertThat(refusal(printer, "[1,2]")).isEqualTo("must be a JSON object");
        assertThat(refusal(printer, "")).isEqualTo("empty payload: no config document");
        String big =
                PRINTER_DOC.replace("\"role\"", "\"pad\":\"" + "x".repeat(5000) + "\",\"role\"");
        assertThat(refusal(printer, big))
                .isEqualTo(big.length() + " bytes, more than the 4096 a config may have");
    }

    @Test
    void ledBoardDocumentHasNoPrinterOptions() throws Exception {
        DeviceConfigCodec led = new DeviceConfigCodec("001", "board-1", DeviceType.LED_BOARD);
        String doc =
                "{\"schema\":1,\"revision\":\"r2\",\"storeCode\":\"001\",\"deviceId\":\"board-1\","
                        + "\"type\":\"LED_BOARD\",\"role\":\"PRIMARY\",\"stations\":[\"pickup\"],"
                        + "\"heartbeatIntervalSeconds\":30}";
        assertThat(led.decode(bytes(doc)).printer()).isNull();
        assertThat(
                        refusal(
                                led,
                                doc.replace(
                                        "}",
                                        ",\"printer\":{\"paperWidthMm\":80,\"copies\":1,"
                                                + "\"cut\":true}}")))
                .isEqualTo("printer must be absent for a led-board but was given");
    }
}
