package io.scanorder.e2e.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.scanorder.e2e.LocalPlatform;
import io.scanorder.testkit.EmbeddedPostgres;
import io.scanorder.testkit.MqttBroker;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What this machine's PostgreSQL and broker can do at most, measured in the same run against the
 * same servers the platform uses, so the other scenarios can be read as a share of it.
 */
final class CeilingsScenario {
    static final String NAME = "ceilings";
    static final String PG_INSERT = "postgres single-row INSERT (autocommit)";
    static final String MQTT_QOS1 = "mqtt QoS 1 publish -> PUBACK";

    private static final String BENCH_DATABASE = "scanorder_bench";
    private static final String CEILING_ACCOUNT = "bench-ceiling";

    private CeilingsScenario() {}

    static void run(LocalPlatform platform, BenchSettings settings, BenchReport report)
            throws Exception {
        postgres(platform.postgres(), settings, report);
        mqtt(platform.broker(), settings, report);
    }

    /** Single-row autocommit INSERTs into a scratch table, one connection per thread. */
    private static void postgres(EmbeddedPostgres pg, BenchSettings settings, BenchReport report)
            throws Exception {
        pg.createDatabase(BENCH_DATABASE);
        String url = pg.jdbcUrl(BENCH_DATABASE);
        try (Connection c = DriverManager.getConnection(url, pg.user(), pg.password());
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS bench_scratch (id bigserial PRIMARY KEY,"
                            + " thread int NOT NULL, payload text NOT NULL,"
                            + " created_at timestamptz NOT NULL DEFAULT now())");
        }
        ClosedLoop.Result r =
                ClosedLoop.run(
                        settings.threads(),
                        settings.warmUp(),
                        settings.window(),
                        thread -> {
                            Connection c =
                                    DriverManager.getConnection(url, pg.user(), pg.password());
                            c.setAutoCommit(true);
                            PreparedStatement insert =
                                    c.prepareStatement(
                                            "INSERT INTO bench_scratch (thread, payload)"
                                                    + " VALUES (?, ?)");
                            return new ClosedLoop.Worker() {
                                long n;

                                @Override
                                public void once() throws SQLException {
                                    insert.setInt(1, thread);
                                    insert.setString(2, "row " + n++ + " of thread " + thread);
                                    insert.executeUpdate();
                                }

                                @Override
                                public void close() throws SQLException {
                                    c.close();
                                }
                            };
                        });
        report.add(
                new Measurement(
                        NAME,
                        PG_INSERT,
                        r.perSecond(),
                        "rows/s",
                        Latency.ofMicros(r.micros()),
                        null,
                        null,
                        settings.threads()
                                + " threads, "
                                + r.window().toSeconds()
                                + " s, scratch table in the platform's PostgreSQL"
                                + errors(r)));
    }

    /** QoS 1 publishes, each waiting for its PUBACK, one service-account client per thread. */
    private static void mqtt(MqttBroker broker, BenchSettings settings, BenchReport report)
            throws Exception {
        String password = BenchSettings.randomHex(16);
        broker.addServiceAccount(CEILING_ACCOUNT, password);
        byte[] payload = new byte[200];
        java.util.Arrays.fill(payload, (byte) 'x');
        ClosedLoop.Result r =
                ClosedLoop.run(
                        settings.threads(),
                        settings.warmUp(),
                        settings.window(),
                        thread -> {
                            Mqtt5BlockingClient client =
                                    Mqtt5Client.builder()
                                            .identifier(CEILING_ACCOUNT + "-" + thread)
                                            .serverHost(broker.host())
                                            .serverPort(broker.port())
                                            .simpleAuth()
                                            .username(CEILING_ACCOUNT)
                                            .password(password.getBytes(StandardCharsets.UTF_8))
                                            .applySimpleAuth()
                                            .buildBlocking();
                            client.connectWith().cleanStart(true).send();
                            // No subscriber: the broker's own accept-and-ack cost is the ceiling.
                            String topic =
                                    "scanorder/999/devices/bench-sink-" + thread + "/tickets";
                            return new ClosedLoop.Worker() {
                                @Override
                                public void once() {
                                    client.publishWith()
                                            .topic(topic)
                                            .qos(MqttQos.AT_LEAST_ONCE)
                                            .payload(payload)
                                            .send();
                                }

                                @Override
                                public void close() {
                                    client.disconnect();
                                }
                            };
                        });
        report.add(
                new Measurement(
                        NAME,
                        MQTT_QOS1,
                        r.perSecond(),
                        "msgs/s",
                        Latency.ofMicros(r.micros()),
                        null,
                        null,
                        settings.threads()
                                + " clients (service account), 200-byte payload, "
                                + r.window().toSeconds()
                                + " s, HiveMQ CE with the ScanOrder extension"
                                + errors(r)));
    }

    private static String errors(ClosedLoop.Result r) {
        return r.errors() == 0 && r.firstError() == null
                ? ""
                : "; " + r.errors() + " errors, first: " + r.firstError();
    }
}
