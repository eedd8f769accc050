package io.scanorder.order.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.scanorder.testkit.EmbeddedRedis;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ProvenSubscription} against a real redis-server of its own: messages arrive, a stopped or
 * hanging Redis is noticed within three check intervals, the subscription comes back by itself, and
 * abandoned attempts leave no connection behind.
 */
class ProvenSubscriptionIT {
    private static final Duration CHECK = Duration.ofMillis(200);
    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private EmbeddedRedis server;
    private Vertx vertx;
    private Redis client;
    private ProvenSubscription subscription;
    private ScheduledExecutorService checker;
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        server = EmbeddedRedis.launch();
        vertx = Vertx.vertx();
        client = Redis.createClient(vertx, server.uri());
        subscription =
                new ProvenSubscription(
                        client,
                        new RedisHealth(new SimpleMeterRegistry()),
                        "test updates",
                        List.of("test:updates:*"),
                        CHECK,
                        TIMEOUT,
                        new ProvenSubscription.Listener() {
                            @Override
                            public void message(String channel, String message) {
                                messages.add(channel + "=" + message);
                            }

                            @Override
                            public void lost(String why) {
                                events.add("lost");
                            }

                            @Override
                            public void regained() {
                                events.add("regained");
                            }
                        });
        checker = Executors.newSingleThreadScheduledExecutor();
        checker.scheduleWithFixedDelay(
                subscription::check, 0, CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    @AfterEach
    void stop() {
        checker.shutdownNow();
        subscription.close();
        client.close();
        vertx.closeAndAwait();
        server.close();
    }

    @Test
    void messagesOnMatchingChannelsArriveAndPingsStayInside() {
        awaitFirstSubscription();
        publish("test:updates:7", "hello");
        publish("other:channel", "not for us");
        publish("test:updates:8", "world");

        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(
                        () ->
                                assertThat(messages)
                                        .containsExactly(
                                                "test:updates:7=hello", "test:updates:8=world"));
        assertThat(events).isEmpty();
    }

    @Test
    void aStoppedRedisIsNoticedAndTheSubscriptionReturnsWithIt() {
        awaitFirstSubscription();
        server.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !subscription.live());
        await().atMost(Duration.ofSeconds(5)).until(() -> events.contains("lost"));

        server.start();
        await().atMost(Duration.ofSeconds(15)).until(subscription::live);
        assertThat(events).containsExactly("lost", "regained");
        publish("test:updates:1", "after restart");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> messages.contains("test:updates:1=after restart"));
    }

    @Test
    void aHangingRedisIsNoticedWithoutWaitingAndAbandonedAttemptsCloseTheirConnections()
            throws IOException {
        awaitFirstSubscription();
        assertThat(subscribers()).isEqualTo(1);
        try (Socket sleeper = new Socket(server.host(), server.port())) {
            long asleepAt = System.nanoTime();
            send(sleeper, "DEBUG SLEEP 4");
            // Three check intervals without a ping, while Redis has answered nothing.
            await().atMost(Duration.ofSeconds(3)).until(() -> !subscription.live());
            assertThat(Duration.ofNanos(System.nanoTime() - asleepAt))
                    .isLessThan(Duration.ofSeconds(4));
            sleeper.setSoTimeout(30_000);
            assertThat(sleeper.getInputStream().read()).as("DEBUG SLEEP answered").isEqualTo('+');
        }
        await().atMost(Duration.ofSeconds(15)).until(subscription::live);
        assertThat(events).containsExactly("lost", "regained");
        // Attempts made while Redis slept subscribed once it woke; all but the one in use closed.
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(subscribers()).isEqualTo(1));
    }

    /** The first subscription of a cold client may time out once; what counts comes after. */
    private void awaitFirstSubscription() {
        await().atMost(Duration.ofSeconds(10)).until(subscription::live);
        events.clear();
    }

    private void publish(String channel, String message) {
        client.send(Request.cmd(Command.PUBLISH).arg(channel).arg(message)).await().indefinitely();
    }

    /** Connections Redis holds in pattern-subscriber mode. */
    private int subscribers() throws IOException {
        try (Socket socket = new Socket(server.host(), server.port())) {
            socket.setSoTimeout(5_000);
            send(socket, "CLIENT LIST");
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                header.append((char) c);
            }
            int length = Integer.parseInt(header.substring(1).trim());
            byte[] body = in.readNBytes(length);
            String list = new String(body, StandardCharsets.UTF_8);
            return (int) list.lines().filter(l -> l.matches(".* psub=[1-9].*")).count();
        }
    }

    private static void send(Socket socket, String command) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
