package io.scanorder.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Everything the device agent is told about itself, read once at start from a properties file with
 * environment overrides, validated as a whole.
 *
 * <table>
 *   <caption>Keys (environment variable: {@code SCANORDER_} + key upper-cased, '.' to '_')</caption>
 *   <tr><th>key</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code store.code}</td><td>3-digit store code</td><td>required</td></tr>
 *   <tr><td>{@code device.id}</td><td>device id; also MQTT client id and user name</td><td>required</td></tr>
 *   <tr><td>{@code device.type}</td><td>{@code printer}, {@code kds-tablet} or {@code led-board}</td><td>required</td></tr>
 *   <tr><td>{@code broker.uri}</td><td>{@code tcp://host:port} or {@code ssl://host:port}</td><td>required</td></tr>
 *   <tr><td>{@code broker.password}</td><td>MQTT password from the device's Secret</td><td>required</td></tr>
 *   <tr><td>{@code heartbeat.interval.seconds}</td><td>1..3600</td><td>30</td></tr>
 *   <tr><td>{@code session.expiry.seconds}</td><td>how long the broker keeps the session (and queued tickets) while offline, 0..2592000</td><td>86400</td></tr>
 *   <tr><td>{@code printer.host}</td><td>printer address; required for {@code printer}</td><td>none</td></tr>
 *   <tr><td>{@code printer.port}</td><td>1..65535</td><td>9100</td></tr>
 *   <tr><td>{@code printer.width.mm}</td><td>paper width, 58 or 80</td><td>80</td></tr>
 *   <tr><td>{@code printer.poll.seconds}</td><td>how often printer status is read for alarms, 1..300</td><td>5</td></tr>
 *   <tr><td>{@code journal.file}</td><td>ticket journal (must survive restarts)</td><td>/var/lib/scanorder-agent/tickets.journal</td></tr>
 *   <tr><td>{@code led.host}</td><td>LED board address; required for {@code led-board}</td><td>none</td></tr>
 *   <tr><td>{@code led.port}</td><td>LED board line-protocol port, 1..65535</td><td>9200</td></tr>
 *   <tr><td>{@code kds.port}</td><td>port of the KDS tablet's local web page, 1..65535</td><td>8088</td></tr>
 *   <tr><td>{@code kds.bind}</td><td>address the KDS page listens on ({@code 0.0.0.0} to reach it from another screen)</td><td>127.0.0.1</td></tr>
 *   <tr><td>{@code timezone}</td><td>time zone printed on tickets</td><td>Asia/Shanghai</td></tr>
 * </table>
 *
 * @param storeCode 3-digit store code
 * @param deviceId device id, used as MQTT client id and user name
 * @param deviceType kind of device
 * @param brokerUri broker URI with scheme tcp or ssl
 * @param brokerPassword MQTT password; never printed by {@link #toString()}
 * @param heartbeatInterval time between heartbeats
 * @param sessionExpiry how long the broker keeps the session while the agent is away
 * @param printerHost printer host, or null if the device is not a printer
 * @param printerPort printer TCP port
 * @param paperWidthMm printer paper width in millimetres, 58 or 80
 * @param printerPoll time between printer status reads (alarms, heartbeat state)
 * @param journalFile where the ticket journal lives
 * @param timezone zone for times printed on tickets
 * @param ledHost LED board host, or null if the device is not an LED board
 * @param ledPort LED board TCP port
 * @param kdsPort port of the KDS tablet's local web page
 * @param kdsBind address the KDS web page listens on
 */
public record AgentConfig(
        String storeCode,
        String deviceId,
        DeviceType deviceType,
        URI brokerUri,
        String brokerPassword,
        Duration heartbeatInterval,
        Duration sessionExpiry,
        String printerHost,
        int printerPort,
        int paperWidthMm,
        Duration printerPoll,
        Path journalFile,
        ZoneId timezone,
        String ledHost,
        int ledPort,
        int kdsPort,
        String kdsBind) {

    /** Kinds of kitchen device, spelled as in the KitchenDevice resource. */
    public enum DeviceType {
        PRINTER("printer"),
        KDS_TABLET("kds-tablet"),
        LED_BOARD("led-board");

        private final String value;

        DeviceType(String value) {
            this.value = value;
        }

        public String value() {
            return value;
        }
    }

    public static final String STORE_CODE = "store.code";
    public static final String DEVICE_ID = "device.id";
    public static final String DEVICE_TYPE = "device.type";
    public static final String BROKER_URI = "broker.uri";
    public static final String BROKER_PASSWORD = "broker.password";
    public static final String HEARTBEAT_INTERVAL = "heartbeat.interval.seconds";
    public static final String SESSION_EXPIRY = "session.expiry.seconds";
    public static final String PRINTER_HOST = "printer.host";
    public static final String PRINTER_PORT = "printer.port";
    public static final String PRINTER_WIDTH = "printer.width.mm";
    public static final String PRINTER_POLL = "printer.poll.seconds";
    public static final String JOURNAL_FILE = "journal.file";
    public static final String TIMEZONE = "timezone";
    public static final String LED_HOST = "led.host";
    public static final String LED_PORT = "led.port";
    public static final String KDS_PORT = "kds.port";
    public static final String KDS_BIND = "kds.bind";

    /** Default journal location on a device. */
    public static final String DEFAULT_JOURNAL = "/var/lib/scanorder-agent/tickets.journal";

    private static final List<String> KEYS =
            List.of(
                    STORE_CODE,
                    DEVICE_ID,
                    DEVICE_TYPE,
                    BROKER_URI,
                    BROKER_PASSWORD,
                    HEARTBEAT_INTERVAL,
                    SESSION_EXPIRY,
                    PRINTER_HOST,
                    PRINTER_PORT,
                    PRINTER_WIDTH,
                    PRINTER_POLL,
                    JOURNAL_FILE,
                    TIMEZONE,
                    LED_HOST,
                    LED_PORT,
                    KDS_PORT,
                    KDS_BIND);

    /** Every key the agent reads, in documentation order. */
    public static List<String> keys() {
        return KEYS;
    }

    // Same rules as the broker's DeviceTopics (checked by a contract test): a device id can never
    // change the shape of a topic.
    private static final Pattern STORE_CODE_PATTERN = Pattern.compile("[0-9]{3}");
    private static final Pattern DEVICE_ID_PATTERN =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** Whether {@code deviceId} is a valid device id (1-64 letters, digits, '-', '_'). */
    public static boolean isValidDeviceId(String deviceId) {
        return deviceId != null && DEVICE_ID_PATTERN.matcher(deviceId).matches();
    }

    /** The environment variable that overrides {@code key}, e.g. {@code SCANORDER_STORE_CODE}. */
    public static String envName(String key) {
        return "SCANORDER_" + key.toUpperCase(Locale.ROOT).replace('.', '_');
    }

    /** Reads {@code file} (UTF-8 properties) and applies overrides from {@code env}. */
    public static AgentConfig load(Path file, Map<String, String> env) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read agent configuration " + file, e);
        }
        return from(properties, env);
    }

    /**
     * Builds the config from properties, each overridden by its environment variable if set.
     *
     * @throws AgentConfigException listing every missing or bad key
     */
    public static AgentConfig from(Properties properties, Map<String, String> env) {
        Values r = new Values(properties, env);
        String storeCode = r.required(STORE_CODE);
        if (storeCode != null && !STORE_CODE_PATTERN.matcher(storeCode).matches()) {
            r.problem(STORE_CODE, "must be exactly 3 digits", storeCode);
        }
        String deviceId = r.required(DEVICE_ID);
        if (deviceId != null && !DEVICE_ID_PATTERN.matcher(deviceId).matches()) {
            r.problem(
                    DEVICE_ID,
                    "must be 1-64 letters, digits, '-' or '_', starting with a letter or digit",
                    deviceId);
        }
        DeviceType type = r.deviceType();
        URI brokerUri = r.brokerUri();
        String password = r.required(BROKER_PASSWORD);
        int heartbeat = r.integer(HEARTBEAT_INTERVAL, 30, 1, 3600);
        int sessionExpiry = r.integer(SESSION_EXPIRY, 86_400, 0, 2_592_000);
        String printerHost = r.optional(PRINTER_HOST);
        if (type == DeviceType.PRINTER && printerHost == null) {
            r.problems.add(
                    PRINTER_HOST
                            + ": is required when "
                            + DEVICE_TYPE
                            + " is 'printer' (set it or "
                            + envName(PRINTER_HOST)
                            + ")");
        }
        int printerPort = r.integer(PRINTER_PORT, 9100, 1, 65535);
        int width = r.integer(PRINTER_WIDTH, 80, 58, 80);
        if (width != 58 && width != 80) {
            r.problem(PRINTER_WIDTH, "must be 58 or 80", String.valueOf(width));
        }
        int poll = r.integer(PRINTER_POLL, 5, 1, 300);
        String journal = r.optional(JOURNAL_FILE);
        ZoneId zone = ZoneId.of("Asia/Shanghai");
        String zoneText = r.optional(TIMEZONE);
        if (zoneText != null) {
            try {
                zone = ZoneId.of(zoneText);
            } catch (DateTimeException e) {
                r.problem(TIMEZONE, "must be a time zone id like Asia/Shanghai", zoneText);
            }
        }
        String ledHost = r.optional(LED_HOST);
        if (type == DeviceType.LED_BOARD && ledHost == null) {
            r.problems.add(
                    LED_HOST
                            + ": is required when "
                            + DEVICE_TYPE
                            + " is 'led-board' (set it or "
                            + envName(LED_HOST)
                            + ")");
        }
        int ledPort = r.integer(LED_PORT, 9200, 1, 65535);
        int kdsPort = r.integer(KDS_PORT, 8088, 1, 65535);
        String kdsBind = r.optional(KDS_BIND);
        if (!r.problems.isEmpty()) {
            throw new AgentConfigException(r.problems);
        }
        return new AgentConfig(
                storeCode,
                deviceId,
                type,
                brokerUri,
                password,
                Duration.ofSeconds(heartbeat),
                Duration.ofSeconds(sessionExpiry),
                printerHost,
                printerPort,
                width,
                Duration.ofSeconds(poll),
                Path.of(journal == null ? DEFAULT_JOURNAL : journal),
                zone,
                ledHost,
                ledPort,
                kdsPort,
                kdsBind == null ? "127.0.0.1" : kdsBind);
    }

    @Override
    public String toString() {
        return "AgentConfig[storeCode="
                + storeCode
                + ", deviceId="
                + deviceId
                + ", deviceType="
                + deviceType.value()
                + ", brokerUri="
                + brokerUri
                + ", brokerPassword=***, heartbeatInterval="
                + heartbeatInterval
                + ", sessionExpiry="
                + sessionExpiry
                + ", printer="
                + (printerHost == null ? "none" : printerHost + ":" + printerPort)
                + ", paperWidthMm="
                + paperWidthMm
                + ", printerPoll="
                + printerPoll
                + ", journalFile="
                + journalFile
                + ", timezone="
                + timezone
                + ", led="
                + (ledHost == null ? "none" : ledHost + ":" + ledPort)
                + (deviceType == DeviceType.KDS_TABLET ? ", kds=" + kdsBind + ":" + kdsPort : "")
                + "]";
    }

    /** Reads values with their source and collects problems instead of stopping at the first. */
    private static final class Values {
        private final Properties properties;
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        Values(Properties properties, Map<String, String> env) {
            this.properties = properties;
            this.env = env;
        }

        String optional(String key) {
            String value = env.get(envName(key));
            if (value == null) {
                value = properties.getProperty(key);
            }
            if (value == null || value.isBlank()) {
                return null;
            }
            return value.strip();
        }

        String source(String key) {
            return env.containsKey(envName(key)) ? "environment " + envName(key) : "properties";
        }

        String required(String key) {
            String value = optional(key);
            if (value == null) {
                problems.add(key + ": is required (set it or " + envName(key) + ")");
            }
            return value;
        }

        void problem(String key, String rule, String value) {
            problems.add(key + ": " + rule + " but was '" + value + "' (from " + source(key) + ")");
        }

        int integer(String key, int defaultValue, int min, int max) {
            String value = optional(key);
            if (value == null) {
                return defaultValue;
            }
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    problem(key, "must be between " + min + " and " + max, value);
                }
                return parsed;
            } catch (NumberFormatException e) {
                problem(key, "must be a whole number", value);
                return defaultValue;
            }
        }

        DeviceType deviceType() {
            String value = required(DEVICE_TYPE);
            if (value == null) {
                return null;
            }
            for (DeviceType t : DeviceType.values()) {
                if (t.value.equals(value)) {
                    return t;
                }
            }
            problem(DEVICE_TYPE, "must be one of printer, kds-tablet, led-board", value);
            return null;
        }

        URI brokerUri() {
            String value = required(BROKER_URI);
            if (value == null) {
                return null;
            }
            try {
                URI uri = new URI(value);
                if (!"tcp".equals(uri.getScheme()) && !"ssl".equals(uri.getScheme())) {
                    problem(BROKER_URI, "must start with tcp:// or ssl://", value);
                } else if (uri.getHost() == null || uri.getPort() < 1) {
                    problem(BROKER_URI, "must name a host and port, e.g. tcp://broker:1883", value);
                }
                return uri;
            } catch (URISyntaxException e) {
                problem(BROKER_URI, "is not a valid URI (" + e.getReason() + ")", value);
                return null;
            }
        }
    }
}
