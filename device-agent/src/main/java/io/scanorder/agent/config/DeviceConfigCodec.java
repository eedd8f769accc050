package io.scanorder.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanorder.agent.config.AgentConfig.DeviceType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads and writes the config document of one device, a JSON object of schema {@value #SCHEMA}:
 *
 * <pre>
 * {"schema":1,"revision":"5f0c2a9e41d7b3c8","storeCode":"001","deviceId":"hot-printer-1",
 *  "type":"PRINTER","role":"PRIMARY","stations":["hot"],"heartbeatIntervalSeconds":15,
 *  "printer":{"paperWidthMm":80,"copies":1,"cut":true}}
 * </pre>
 *
 * Fields this schema does not know are ignored (a newer service may add some); a document of
 * another schema version, or one meant for another device, is refused.
 */
public final class DeviceConfigCodec {

    /** The schema version this agent reads. */
    public static final int SCHEMA = 1;

    /** A config document is a few hundred bytes; anything far bigger is not one. */
    public static final int MAX_BYTES = 4 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern STATION = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final int MAX_STATIONS = 20;

    private final String storeCode;
    private final String deviceId;
    private final DeviceType type;

    /** A codec for the documents of one device: any other device's document is refused. */
    public DeviceConfigCodec(String storeCode, String deviceId, DeviceType type) {
        this.storeCode = storeCode;
        this.deviceId = deviceId;
        this.type = type;
    }

    /**
     * Parses and validates a document.
     *
     * @throws DeviceConfigException naming the first field that is wrong
     */
    public DeviceConfig decode(byte[] payload) throws DeviceConfigException {
        if (payload == null || payload.length == 0) {
            throw new DeviceConfigException("empty payload: no config document");
        }
        if (payload.length > MAX_BYTES) {
            throw new DeviceConfigException(
                    payload.length + " bytes, more than the " + MAX_BYTES + " a config may have");
        }
        JsonNode json;
        try {
            json = JSON.readTree(payload);
        } catch (IOException e) {
            throw new DeviceConfigException("not valid JSON: " + firstLine(e.getMessage()));
        }
        if (json == null || !json.isObject()) {
            throw new DeviceConfigException("must be a JSON object");
        }
        int schema = integer(json, "schema", Integer.MIN_VALUE, Integer.MAX_VALUE);
        if (schema != SCHEMA) {
            throw new DeviceConfigException(
                    "schema "
                            + schema
                            + " is not supported: this agent reads schema "
                            + SCHEMA
                            + " (upgrade the agent to use newer settings)");
        }
        String revision = text(json, "revision");
        if (!REVISION.matcher(revision).matches()) {
            throw new DeviceConfigException(
                    "revision must be 1-64 letters, digits, '.', '_' or '-' but was '"
                            + clip(revision)
                            + "'");
        }
        mustBe(json, "storeCode", storeCode);
        mustBe(json, "deviceId", deviceId);
        String typeText = text(json, "type");
        DeviceType docType = deviceType(typeText);
        if (docType != type) {
            throw new DeviceConfigException(
                    "type is '"
                            + clip(typeText)
                            + "' but this agent runs a "
                            + type.value()
                            + " (check device.type in the agent file against the KitchenDevice)");
        }
        String role = text(json, "role");
        if (!role.equals("PRIMARY") && !role.equals("BACKUP")) {
            throw new DeviceConfigException(
                    "role must be PRIMARY or BACKUP but was '" + clip(role) + "'");
        }
        List<String> stations = stations(json);
        int heartbeat = integer(json, "heartbeatIntervalSeconds", 1, 3600);
        JsonNode printerNode = json.get("printer");
        DeviceConfig.Printer printer = null;
        if (type == DeviceType.PRINTER) {
            if (printerNode == null || !printerNode.isObject()) {
                throw new DeviceConfigException("printer must be an object for a printer");
            }
            int width = integer(printerNode, "printer.paperWidthMm", "paperWidthMm", 58, 80);
            if (width != 58 && width != 80) {
                throw new DeviceConfigException(
                        "printer.paperWidthMm must be 58 or 80 but was " + width);
            }
            int copies = integer(printerNode, "printer.copies", "copies", 1, 5);
            JsonNode cut = printerNode.get("cut");
            if (cut == null || !cut.isBoolean()) {
                throw new DeviceConfigException("printer.cut must be true or false");
            }
            printer = new DeviceConfig.Printer(width, copies, cut.booleanValue());
        } else if (printerNode != null && !printerNode.isNull()) {
            throw new DeviceConfigException(
                    "printer must be absent for a " + type.value() + " but was given");
        }
        return new DeviceConfig(
                schema,
                revision,
                storeCode,
                deviceId,
                type,
                role,
                stations,
                Duration.ofSeconds(heartbeat),
                printer);
    }

    /** The document for {@code config} (the service's format; used by tests and tools). */
    public static byte[] encode(DeviceConfig config) {
        ObjectNode json = JSON.createObjectNode();
        json.put("schema", config.schema());
        json.put("revision", config.revision());
        json.put("storeCode", config.storeCode());
        json.put("deviceId", config.deviceId());
        json.put("type", config.type().name());
        json.put("role", config.role());
        ArrayNode stations = json.putArray("stations");
        config.stations().forEach(stations::add);
        json.put("heartbeatIntervalSeconds", config.heartbeatInterval().toSeconds());
        if (config.printer() != null) {
            ObjectNode printer = json.putObject("printer");
            printer.put("paperWidthMm", config.printer().paperWidthMm());
            printer.put("copies", config.printer().copies());
            printer.put("cut", config.printer().cut());
        }
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static DeviceType deviceType(String text) throws DeviceConfigException {
        try {
            return DeviceType.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new DeviceConfigException(
                    "type must be PRINTER, KDS_TABLET or LED_BOARD but was '" + clip(text) + "'");
        }
    }

    private List<String> stations(JsonNode json) throws DeviceConfigException {
        JsonNode node = json.get("stations");
        if (node == null || !node.isArray() || node.isEmpty() || node.size() > MAX_STATIONS) {
            throw new DeviceConfigException(
                    "stations must be an array of 1-" + MAX_STATIONS + " station names");
        }
        List<String> stations = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode s = node.get(i);
            if (!s.isTextual() || !STATION.matcher(s.textValue()).matches()) {
                throw new DeviceConfigException(
                        "stations["
                                + i
                                + "] must match "
                                + STATION.pattern()
                                + " but was "
                                + clip(s.toString()));
            }
            stations.add(s.textValue());
        }
        return stations;
    }

    private static void mustBe(JsonNode json, String field, String expected)
            throws DeviceConfigException {
        String value = text(json, field);
        if (!value.equals(expected)) {
            throw new DeviceConfigException(
                    field
                            + " is '"
                            + clip(value)
                            + "' but this agent is '"
                            + expected
                            + "': the document is for another device");
        }
    }

    private static String text(JsonNode json, String field) throws DeviceConfigException {
        JsonNode v = json.get(field);
        if (v == null || !v.isTextual()) {
            throw new DeviceConfigException(field + " must be a string");
        }
        return v.textValue();
    }

    private static int integer(JsonNode json, String field, int min, int max)
            throws DeviceConfigException {
        return integer(json, field, field, min, max);
    }

    private static int integer(JsonNode json, String path, String field, int min, int max)
            throws DeviceConfigException {
        JsonNode v = json.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new DeviceConfigException(path + " must be a whole number");
        }
        int value = v.intValue();
        if (value < min || value > max) {
            throw new DeviceConfigException(
                    path + " must be between " + min + " and " + max + " but was " + value);
        }
        return value;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
