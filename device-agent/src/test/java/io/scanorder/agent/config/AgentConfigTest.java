package io.scanorder.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.agent.config.AgentConfig.DeviceType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {

    private static Properties valid() {
        Properties p = new Properties();
        p.setProperty("store.code", "001");
        p.setProperty("device.id", "hot-printer-1");
        p.setProperty("device.type", "printer");
        p.setProperty("broker.uri", "tcp://broker:1883");
        p.setProperty("broker.password", "s3cret");
        p.setProperty("printer.host", "192.0.2.10");
        return p;
    }

    private static AgentConfigException failure(Properties p, Map<String, String> env) {
        try {
            AgentConfig.from(p, env);
        } catch (AgentConfigException e) {
            return e;
        }
        throw new AssertionError("expected an AgentConfigException");
    }

    @Test
    void readsAValidConfigWithDefaults() {
        AgentConfig c = AgentConfig.from(valid(), Map.of());
        assertThat(c.storeCode()).isEqualTo("001");
        assertThat(c.deviceId()).isEqualTo("hot-printer-1");
        assertThat(c.deviceType()).isEqualTo(DeviceType.PRINTER);
        assertThat(c.brokerUri().toString()).isEqualTo("tcp://broker:1883");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.sessionExpiry()).isEqualTo(Duration.ofDays(1));
        assertThat(c.printerPort()).isEqualTo(9100);
    }

    @Test
    void environmentOverridesTheFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("agent.properties");
        try (var out = Files.newBufferedWriter(file)) {
            valid().store(out, null);
        }
        AgentConfig c =
                AgentConfig.load(
                        file,
                        Map.of(
                                "SCANORDER_BROKER_PASSWORD", "from-secret",
                                "SCANORDER_HEARTBEAT_INTERVAL_SECONDS", "5"));
        assertThat(c.brokerPassword()).isEqualTo("from-secret");
        assertThat(c.heartbeatInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void everyMissingRequiredKeyIsNamedWithItsVariable() {
        AgentConfigException e = failure(new Properties(), Map.of());
        assertThat(e.problems())
                .containsExactly(
                        "store.code: is required (set it or SCANORDER_STORE_CODE)",
                        "device.id: is required (set it or SCANORDER_DEVICE_ID)",
                        "device.type: is required (set it or SCANORDER_DEVICE_TYPE)",
                        "broker.uri: is required (set it or SCANORDER_BROKER_URI)",
                        "broker.password: is required (set it or SCANORDER_BROKER_PASSWORD)");
    }

    @Test
    void badValuesAreReportedWithKeyValueAndSource() {
        Properties p = valid();
        p.setProperty("store.code", "12");
        p.setProperty("device.id", "a/../b");
        p.setProperty("device.type", "toaster");
        p.setProperty("heartbeat.interval.seconds", "0");
        p.setProperty("printer.port", "ninety");
        AgentConfigException e = failure(p, Map.of("SCANORDER_BROKER_URI", "http://broker"));
        assertThat(e.problems())
                .containsExactly(
                        "store.code: must be exactly 3 digits but was '12' (from properties)",
                        "device.id: must be 1-64 letters, digits, '-' or '_', starting with a"
                                + " letter or digit but was 'a/../b' (from properties)",
                        "device.type: must be one of printer, kds-tablet, led-board but was"
                                + " 'toaster' (from properties)",
                        "broker.uri: must start with tcp:// or ssl:// but was 'http://broker'"
                                + " (from environment SCANORDER_BROKER_URI)",
                        "heartbeat.interval.seconds: must be between 1 and 3600 but was '0'"
                                + " (from properties)",
                        "printer.port: must be a whole number but was 'ninety' (from properties)");
        assertThat(e.getMessage()).startsWith("invalid agent configuration:");
    }

    @Test
    void printerNeedsAHostButATabletDoesNot() {
        Properties p = valid();
        p.remove("printer.host");
        assertThat(failure(p, Map.of()).problems())
                .containsExactly(
                        "printer.host: is required when device.type is 'printer' (set it or"
                                + " SCANORDER_PRINTER_HOST)");
        p.setProperty("device.type", "kds-tablet");
        assertThat(AgentConfig.from(p, Map.of()).printerHost()).isNull();
    }

    @Test
    void brokerUriNeedsHostAndPort() {
        Properties p = valid();
        p.setProperty("broker.uri", "tcp://broker");
        assertThat(failure(p, Map.of()).problems())
                .containsExactly(
                        "broker.uri: must name a host and port, e.g. tcp://broker:1883 but was"
                                + " 'tcp://broker' (from properties)");
    }

    @Test
    void toStringNeverShowsThePassword() {
        assertThat(AgentConfig.from(valid(), Map.of()).toString())
                .doesNotContain("s3cret")
                .contains("brokerPassword=***");
    }

    @Test
    void missingFileIsReportedWithItsPath(@TempDir Path dir) {
        assertThatThrownBy(() -> AgentConfig.load(dir.resolve("none.properties"), Map.of()))
                .hasMessageContaining("none.properties");
    }
}
