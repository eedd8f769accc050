package io.scanorder.e2e.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.scanorder.agent.heartbeat.DeviceHealth;
import io.scanorder.agent.heartbeat.HeartbeatCodec;
import io.scanorder.agent.transport.DeviceChannel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Many simulated kitchen devices in one JVM (the devices benchmark starts it as a child process, so
 * that its sockets count against its own file limit, not the broker's). Each device is its own MQTT
 * 5 connection with its own broker account and behaves like the device agent on the wire: last will
 * {@code offline} retained on {@code status}, {@code online} retained after connecting, a
 * subscription to its {@code tickets}, and a QoS 0 heartbeat in the agent's exact JSON every
 * interval. All connections share the MQTT client's event loop threads.
 *
 * <p>Reads commands from stdin and answers on stdout, one line each: {@code STATS} -> {@code STATS
 * <heartbeats sent> <send failures> <connected>}; {@code CUT} (drop the first {@code cut} devices'
 * TCP connections without DISCONNECT) -> {@code CUT <epoch ms>}; {@code STOP}. Announces {@code
 * CONNECTED <ok> <failed> <first error>} once every connection attempt finished.
 */
public final class DeviceFleet {
    private static final int CONNECTS_IN_FLIGHT = 64;
    private static final String AGENT_VERSION = "bench-fleet";

    private DeviceFleet() {}

    public static void main(String[] args) throws Exception {
        String host = System.getProperty("fleet.host", "127.0.0.1");
        int port = Integer.parseInt(System.getProperty("fleet.port"));
        String store = System.getProperty("fleet.store");
        String prefix = System.getProperty("fleet.prefix");
        int count = Integer.parseInt(System.getProperty("fleet.count"));
        int cut = Integer.parseInt(System.getProperty("fleet.cut", "0"));
        Duration interval =
                Duration.ofSeconds(Long.parseLong(System.getProperty("fleet.heartbeat")));
        String password = System.getenv("BENCH_FLEET_PASSWORD");
        if (password == null || password.isEmpty()) {
            throw new IllegalStateException("BENCH_FLEET_PASSWORD is not set");
        }
        byte[] secret = password.getBytes(StandardCharsets.UTF_8);

        CuttableProxy proxy = cut > 0 ? new CuttableProxy(host, port) : null;
        List<Mqtt5AsyncClient> clients = new ArrayList<>(count);
        Semaphore inFlight = new Semaphore(CONNECTS_IN_FLIGHT);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>("-");
        List<CompletableFuture<?>> attempts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String id = deviceId(prefix, i);
            boolean viaProxy = i < cut;
            Mqtt5AsyncClient client =
                    Mqtt5Client.builder()
                            .identifier(id)
                            .serverHost(host)
                            .serverPort(viaProxy ? proxy.port() : port)
                            .simpleAuth()
                            .username(id)
                            .password(secret)
                            .applySimpleAuth()
                            .willPublish()
                            .topic(DeviceChannel.STATUS.topic(store, id))
                            .payload("offline".getBytes(StandardCharsets.US_ASCII))
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .retain(true)
                            .applyWillPublish()
                            .buildAsync();
            clients.add(client);
            inFlight.acquire();
            CompletableFuture<?> attempt =
                    client.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(3600)
                            .keepAlive(30)
                            .send()
                            .thenCompose(
                                    ack ->
                                            client.publishWith()
                                                    .topic(DeviceChannel.STATUS.topic(store, id))
                                                    .payload(
                                                            "online"
                                                                    .getBytes(
                                                                            StandardCharsets
                                                                                    .US_ASCII))
                                                    .qos(MqttQos.AT_LEAST_ONCE)
                                                    .retain(true)
                                                    .send())
                            .thenCompose(
                                    published ->
                                            client.subscribeWith()
                                                    .topicFilter(
                                                            DeviceChannel.TICKETS.topic(store, id))
                                                    .qos(MqttQos.AT_LEAST_ONCE)
                                                    .callback(message -> {})
                                                    .send())
                            .whenComplete(
                                    (r, e) -> {
                                        inFlight.release();
                                        if (e == null) {
                                            ok.incrementAndGet();
                                        } else {
                                            failed.incrementAndGet();
                                            firstError.compareAndSet(
                                                    "-",
                                                    id + ": " + e.toString().replace('\n', ' '));
                                        }
                                    });
            attempts.add(attempt);
        }
        CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new))
                .exceptionally(e -> null)
                .join();
        System.out.println("CONNECTED " + ok + " " + failed + " " + firstError.get());
        System.out.flush();

        AtomicLong sent = new AtomicLong();
        AtomicLong sendFailures = new AtomicLong();
        HeartbeatCodec codec = new HeartbeatCodec();
        DeviceHealth healthy =
                new DeviceHealth(
                        DeviceHealth.Paper.OK,
                        DeviceHealth.Cover.CLOSED,
                        DeviceHealth.Link.ONLINE,
                        0);
        ScheduledExecutorService beats = Executors.newScheduledThreadPool(1);
        long periodMs = interval.toMillis();
        for (int i = 0; i < count; i++) {
            String id = deviceId(prefix, i);
            Mqtt5AsyncClient client = clients.get(i);
            String topic = DeviceChannel.HEARTBEAT.topic(store, id);
            AtomicLong seq = new AtomicLong();
            // Spread the devices over the interval, as real devices start at random times.
            long offset = ThreadLocalRandom.current().nextLong(periodMs);
            beats.scheduleAtFixedRate(
                    () -> {
                        if (!client.getState().isConnected()) {
                            return;
                        }
                        byte[] payload =
                                codec.encode(
                                        new HeartbeatCodec.HeartbeatMessage(
                                                id,
                                                seq.incrementAndGet(),
                                                Instant.now(),
                                                healthy,
                                                AGENT_VERSION));
                        client.publishWith()
                                .topic(topic)
                                .qos(MqttQos.AT_MOST_ONCE)
                                .payload(payload)
                                .send()
                                .whenComplete(
                                        (r, e) -> {
                                            if (e == null) {
                                                sent.incrementAndGet();
                                            } else {
                                                sendFailures.incrementAndGet();
                                            }
                                        });
                    },
                    offset,
                    periodMs,
                    TimeUnit.MILLISECONDS);
        }

        BufferedReader commands =
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            switch (line.trim()) {
                case "STATS" -> {
                    long connected =
                            clients.stream().filter(c -> c.getState().isConnected()).count();
                    System.out.println("STATS " + sent + " " + sendFailures + " " + connected);
                }
                case "CUT" -> {
                    if (proxy != null) {
                        proxy.cut();
                    }
                    System.out.println("CUT " + System.currentTimeMillis());
                }
                case "STOP" -> {
                    beats.shutdownNow();
                    for (Mqtt5AsyncClient c : clients) {
                        if (c.getState().isConnected()) {
                            c.disconnect();
                        }
                    }
                    System.out.println("STOPPED");
                    System.out.flush();
                    System.exit(0);
                }
                default -> System.out.println("ERROR unknown command '" + line + "'");
            }
            System.out.flush();
        }
        System.exit(0);
    }

    static String deviceId(String prefix, int i) {
        return String.format("%s%05d", prefix, i);
    }
}
