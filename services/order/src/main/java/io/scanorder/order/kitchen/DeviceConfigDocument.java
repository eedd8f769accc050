package io.scanorder.order.kitchen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

/**
 * The config document pushed, retained, on a device's {@code config} topic (docs/architecture.md,
 * "Config push"), schema {@value #SCHEMA}:
 *
 * <pre>
 * {"schema":1,"revision":"5f0c2a9e41d7b3c8","storeCode":"001","deviceId":"hot-printer-1",
 *  "type":"PRINTER","role":"PRIMARY","stations":["hot"],"heartbeatIntervalSeconds":15,
 *  "printer":{"paperWidthMm":80,"copies":1,"cut":true}}
 * </pre>
 *
 * {@code printer} is present for printers only. The revision is the first 16 hex digits of the
 * SHA-256 of the document without it (stations sorted): the same settings always give the same
 * revision, on every replica, so publishing it again changes nothing on the device.
 *
 * @param revision identifies the settings
 * @param payload the JSON document
 */
record DeviceConfigDocument(String revision, byte[] payload) {
    /** The document schema the device agent reads (DeviceConfigCodec.SCHEMA). */
    static final int SCHEMA = 1;

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The document for a registration (validated by {@link KitchenDevices}). */
    static DeviceConfigDocument of(DeviceRegistration r) {
        return of(
                r.storeCode(),
                r.deviceId(),
                r.type(),
                r.role(),
                r.stations(),
                r.heartbeatIntervalSeconds(),
                r.paperWidthMm(),
                r.copies(),
                r.cutter());
    }

    /** The document for a device's registered settings. */
    static DeviceConfigDocument of(
            String storeCode,
            String deviceId,
            String type,
            String role,
            List<String> stations,
            int heartbeatIntervalSeconds,
            Integer paperWidthMm,
            int copies,
            boolean cutter) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", SCHEMA);
        body.put("storeCode", storeCode);
        body.put("deviceId", deviceId);
        body.put("type", type);
        body.put("role", role);
        ArrayNode list = body.putArray("stations");
        new TreeSet<>(stations).forEach(list::add);
        body.put("heartbeatIntervalSeconds", heartbeatIntervalSeconds);
        if ("PRINTER".equals(type)) {
            ObjectNode printer = body.putObject("printer");
            printer.put("paperWidthMm", paperWidthMm == null ? 80 : paperWidthMm);
            printer.put("copies", copies);
            printer.put("cut", cutter);
        }
        String revision = revision(body.toString());
        ObjectNode document = JSON.createObjectNode();
        document.put("schema", SCHEMA);
        document.put("revision", revision);
        body.fields()
                .forEachRemaining(
                        e -> {
                            if (!e.getKey().equals("schema")) {
                                document.set(e.getKey(), e.getValue());
                            }
                        });
        return new DeviceConfigDocument(
                revision, document.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static String revision(String canonical) {
        try {
            byte[] hash =
                    MessageDigest.getInstance("SHA-256")
                            .digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
