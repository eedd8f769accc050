package io.scanorder.agent;

import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.config.AgentConfigFile;
import io.scanorder.agent.transport.EnrollmentGrant;
import io.scanorder.agent.transport.EnrollmentRefusedException;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.agent.transport.TransportException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code scanorder-agent enroll --code CODE}: trades the one-time enrollment code the operator
 * issued for this device's broker credentials and stores them in the configuration file, readable
 * by its owner only.
 */
final class EnrollCommand {

    /** The operator's code alphabet (no 0/O, 1/I/L, U), as 4 + 4 symbols. */
    private static final String CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    EnrollCommand(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    int enroll(Path configFile, Map<String, String> options) {
        String code = normalizeCode(options.get("code"));
        if (code == null) {
            err.println(
                    "error: --code must be the 8-symbol enrollment code like K7QX-M2PD"
                            + " (letters and digits; the dash is optional), was '"
                            + (options.get("code") == null ? "" : options.get("code"))
                            + "'");
            return AgentCli.USAGE;
        }
        Properties existing;
        try {
            existing = AgentConfigFile.readIfExists(configFile);
        } catch (UncheckedIOException e) {
            err.println("error: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            return AgentCli.USAGE;
        }
        String deviceId = pick(options.get("device"), AgentConfig.DEVICE_ID, existing);
        if (!AgentConfig.isValidDeviceId(deviceId)) {
            err.println(
                    "error: device id "
                            + (deviceId == null ? "is missing" : "'" + deviceId + "' is not valid")
                            + ": pass --device ID (the KitchenDevice name) or set "
                            + AgentConfig.DEVICE_ID
                            + " in "
                            + configFile);
            return AgentCli.USAGE;
        }
        String brokerText = pick(options.get("broker"), AgentConfig.BROKER_URI, existing);
        URI broker = brokerUri(brokerText);
        if (broker == null) {
            err.println(
                    "error: broker URI "
                            + (brokerText == null
                                    ? "is missing"
                                    : "'" + brokerText + "' is not valid")
                            + ": pass --broker tcp://host:port or ssl://host:port, or set "
                            + AgentConfig.BROKER_URI
                            + " in "
                            + configFile);
            return AgentCli.USAGE;
        }
        out.println("enrolling device '" + deviceId + "' with broker " + broker + " ...");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(broker.getHost(), broker.getPort()), 3_000);
        } catch (IOException e) {
            out.println(
                    "FAIL broker "
                            + broker.getHost()
                            + ":"
                            + broker.getPort()
                            + " is not reachable ("
                            + e.getMessage()
                            + ") -> check the network and the broker address; the code is not"
                            + " used up, try again");
            return AgentCli.FAILED;
        }
        out.println("PASS broker " + broker.getHost() + ":" + broker.getPort() + " is reachable");
        EnrollmentGrant grant;
        try {
            grant = PahoTransport.enroll(broker, deviceId, code);
        } catch (EnrollmentRefusedException e) {
            out.println("FAIL " + refusal(e, deviceId));
            return AgentCli.FAILED;
        } catch (TransportException e) {
            out.println(
                    "FAIL "
                            + e.getMessage()
                            + " -> check the broker address and try again; the code is not used"
                            + " up");
            return AgentCli.FAILED;
        }
        out.println(
                "PASS broker accepted the code: device '"
                        + deviceId
                        + "' of store "
                        + grant.storeCode());
        String oldStore = existing.getProperty(AgentConfig.STORE_CODE);
        if (oldStore != null && !oldStore.strip().equals(grant.storeCode())) {
            out.println(
                    "WARN "
                            + AgentConfig.STORE_CODE
                            + " was "
                            + oldStore.strip()
                            + "; the broker says store "
                            + grant.storeCode()
                            + ": replaced");
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(AgentConfig.DEVICE_ID, deviceId);
        values.put(AgentConfig.STORE_CODE, grant.storeCode());
        values.put(AgentConfig.BROKER_URI, broker.toString());
        values.put(AgentConfig.BROKER_PASSWORD, grant.password());
        try {
            AgentConfigFile.update(configFile, values);
        } catch (UncheckedIOException e) {
            // the code is used up now: say exactly how to recover
            out.println(
                    "FAIL "
                            + e.getMessage()
                            + " ("
                            + e.getCause().getMessage()
                            + ") -> the code is used up; run enroll as the agent's user with a"
                            + " writable --config, after the store manager deletes the device's"
                            + " Secret so a new code is issued");
            return AgentCli.FAILED;
        }
        out.println(
                "PASS credentials stored in "
                        + configFile.toAbsolutePath()
                        + " (readable by its owner only)");
        out.println(
                "enrolled; the code is used up. Next: scanorder-agent doctor --config "
                        + configFile);
        return AgentCli.OK;
    }

    private static String refusal(EnrollmentRefusedException e, String deviceId) {
        return switch (e.reason()) {
            case WRONG_CODE ->
                    "the broker does not accept this code for device '"
                            + deviceId
                            + "' -> check the code and that --device is the KitchenDevice name"
                            + " (kubectl get kitchendevices); after 10 wrong codes the device is"
                            + " locked for 15 minutes";
            case ALREADY_USED ->
                    "this code was already used (or enrollment is off on this broker) -> if the"
                            + " device lost its configuration, ask for a new code: deleting the"
                            + " Secret <device>-mqtt makes the operator issue one";
            case EXPIRED ->
                    "this code has expired (codes are valid 24 hours) -> ask for a new code:"
                            + " deleting the Secret <device>-mqtt makes the operator issue one";
            case LOCKED ->
                    "too many wrong codes for device '"
                            + deviceId
                            + "' -> wait 15 minutes, then enter the code carefully";
            case NOT_READY ->
                    "the broker has not loaded this device's credentials yet -> wait a minute and"
                            + " run enroll again (the code is not used up)";
            case OTHER -> e.getMessage();
        };
    }

    private String pick(String option, String key, Properties file) {
        if (option != null && !option.isBlank()) {
            return option.strip();
        }
        String fromEnv = env.get(AgentConfig.envName(key));
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.strip();
        }
        String fromFile = file.getProperty(key);
        return fromFile == null || fromFile.isBlank() ? null : fromFile.strip();
    }

    private static URI brokerUri(String text) {
        if (text == null) {
            return null;
        }
        try {
            URI uri = new URI(text);
            boolean scheme = "tcp".equals(uri.getScheme()) || "ssl".equals(uri.getScheme());
            return scheme && uri.getHost() != null && uri.getPort() > 0 ? uri : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** {@code k7qx m2pd}, {@code K7QXM2PD} -> {@code K7QX-M2PD}; null if it cannot be a code. */
    static String normalizeCode(String raw) {
        if (raw == null) {
            return null;
        }
        String symbols = raw.replaceAll("[\\s-]", "").toUpperCase(Locale.ROOT);
        if (symbols.length() != 8) {
            return null;
        }
        for (char c : symbols.toCharArray()) {
            if (CODE_ALPHABET.indexOf(c) < 0) {
                return null;
            }
        }
        return symbols.substring(0, 4) + "-" + symbols.substring(4);
    }
}
