package io.scanorder.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.scanorder.agent.app.AgentApplication;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.agent.printer.EscPosPrinterDriver;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.printer.TicketLayout;
import io.scanorder.agent.ticket.KitchenTicket;
import io.scanorder.agent.ticket.TicketCodec;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.broker.EmbeddedBroker;
import io.scanorder.broker.auth.InMemoryCredentialStore;
import io.scanorder.broker.topic.Principal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.DisconnectedBufferOptions;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real printer agent, printer emulator and an embedded broker with file persistence that is
 * restarted: tickets a service publishes (QoS 1, persistent sessions) before and during the restart
 * are printed exactly once after it. Runs in its own fork (its own broker).
 */
class BrokerRestartIT {

    private static final String STORE = "041";
    private static final String DEVICE = "restart-printer";
    private static final String SERVICE = "order-service";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir Path dir;
    private EmbeddedBroker broker;
    private PrinterEmulator printer;
    private EscPosPrinterDriver driver;
    private TicketJournal journal;
    private AgentApplication agent;
    private MqttAsyncClient service;
    private final List<String> acks = new CopyOnWriteArrayList<>();
    private final TicketCodec codec = new TicketCodec();

    @BeforeEach
    void start() throws Exception {
        InMemoryCredentialStore credentials = new InMemoryCredentialStore();
        credentials.put(Principal.device(STORE, DEVICE), "pw-device".toCharArray(), 1_000);
        credentials.put(Principal.service(SERVICE), "pw-service".toCharArray(), 1_000);
        broker =
                EmbeddedBroker.builder()
                        .dataFolder(dir.resolve("broker"))
                        .credentials(credentials)
                        .persistence(EmbeddedBroker.Persistence.FILE)
                        .build()
                        .start();
        printer = PrinterEmulator.start(0, PaperWidth.MM80.columns());
        driver =
                new EscPosPrinterDriver(
                        EscPosPrinterDriver.Settings.of("127.0.0.1", printer.port()),
                        new TicketLayout(PaperWidth.MM80, ZoneId.of("Asia/Shanghai")));
        service = serviceClient();
    }

    @AfterEach
    void stop() throws Exception {
        stopAgent();
        if (service != null) {
            if (service.isConnected()) {
                service.disconnect().waitForCompletion(5_000);
            }
            service.close(true);
        }
        driver.close();
        printer.close();
        broker.stop();
    }

    /**
     * The order service's side: persistent session, QoS 1, automatic reconnect and a buffer for
     * what is published while the broker is away (what the outbox dispatcher relies on).
     */
    private MqttAsyncClient serviceClient() throws MqttException {
        MqttAsyncClient client =
                new MqttAsyncClient(broker.uri(), SERVICE + "-1", new MemoryPersistence());
        client.setCallback(
                new MqttCallback() {
                    @Override
                    public void messageArrived(String topic, MqttMessage message) {
                        acks.add(new String(message.getPayload(), StandardCharsets.UTF_8));
                    }

                    @Override
                    public void disconnected(MqttDisconnectResponse response) {}

                    @Override
                    public void mqttErrorOccurred(MqttException exception) {}

                    @Override
                    public void deliveryComplete(IMqttToken token) {}

                    @Override
                    public void connectComplete(boolean reconnect, String serverURI) {}

                    @Override
                    public void authPacketArrived(int reasonCode, MqttProperties properties) {}
                });
        DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
        buffer.setBufferEnabled(true);
        buffer.setBufferSize(1_000);
        client.setBufferOpts(buffer);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(SERVICE);
        options.setPassword("pw-service".getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3_600L);
        options.setAutomaticReconnect(true);
        options.setAutomaticReconnectDelay(1, 2);
        client.connect(options).waitForCompletion(10_000);
        client.subscribe(DeviceChannel.ACKS.topic(STORE, DEVICE), 1).waitForCompletion(10_000);
        return client;
    }

    private void startAgent() throws Exception {
        Properties p = new Properties();
        p.setProperty("store.code", STORE);
        p.setProperty("device.id", DEVICE);
        p.setProperty("device.type", "printer");
        p.setProperty("broker.uri", broker.uri());
        p.setProperty("broker.password", "pw-device");
        p.setProperty("printer.host", "127.0.0.1");
        p.setProperty("printer.port", String.valueOf(printer.port()));
        p.setProperty("printer.poll.seconds", "1");
        AgentConfig config = AgentConfig.from(p, Map.of());
        journal = TicketJournal.open(dir.resolve("tickets.journal"));
        agent =
                new AgentApplication(
                        new AgentApplication.Settings(
                                STORE, DEVICE, Duration.ofSeconds(30), Duration.ofSeconds(1), "it"),
                        new PahoTransport(config),
                        driver,
                        journal,
                        Clock.systemUTC());
        agent.start();
    }

    private void stopAgent() {
        if (agent != null) {
            agent.close();
            journal.close();
            agent = null;
        }
    }

    private void publish(String ticketId) throws MqttException {
        byte[] payload =
                codec.encode(
                        new KitchenTicket(
                                ticketId,
                                "0042",
                                STORE,
                                "A12",
                                "hot",
                                Instant.parse("2025-01-01T04:34:00Z"),
                                List.of(new KitchenTicket.Line("Dish " + ticketId, 1, "", "")),
                                1));
        // QoS 1; while the broker is down Paho keeps it in its buffer and sends it on reconnect
        service.publish(DeviceChannel.TICKETS.topic(STORE, DEVICE), payload, 1, false);
    }

    private long printed(String ticketId) {
        return printer.jobs().stream().filter(j -> j.text().contains("Dish " + ticketId)).count();
    }

    private void awaitPrintedOnceAndAcked(List<String> ids) {
        await().atMost(WAIT)
                .until(
                        () ->
                                ids.stream()
                                        .allMatch(
                                                id ->
                                                        printed(id) >= 1
                                                                && acks.contains(
                                                                        "{\"ticketId\":\""
                                                                                + id
                                                                                + "\",\"status\":\"PRINTED\"}")));
    }

    @Test
    void ticketsPublishedWhileTheBrokerRestartsArePrintedExactlyOnce() throws Exception {
        startAgent();
        publish("T-before");
        awaitPrintedOnceAndAcked(List.of("T-before"));

        publish("T-racing"); // may or may not reach the agent before the broker goes
        broker.stop();
        publish("T-during-1");
        publish("T-during-2");
        broker.start();

        List<String> all = List.of("T-before", "T-racing", "T-during-1", "T-during-2");
        awaitPrintedOnceAndAcked(all);
        Thread.sleep(3_000); // time for any duplicate delivery to show up
        assertThat(all).allSatisfy(id -> assertThat(printed(id)).as(id).isEqualTo(1));
        assertThat(printer.jobs()).hasSize(all.size());
    }

    @Test
    void ticketsQueuedForAnOfflineDeviceSurviveABrokerRestart() throws Exception {
        startAgent();
        publish("T-first");
        awaitPrintedOnceAndAcked(List.of("T-first"));
        stopAgent(); // clean disconnect: the broker keeps the session and queues for it

        publish("T-queued-1");
        publish("T-queued-2");
        // the service's PUBACKs mean the broker has them, in its persistent session store
        await().atMost(WAIT).until(() -> service.getPendingTokens().length == 0);
        broker.stop();
        broker.start();
        startAgent();

        List<String> all = List.of("T-first", "T-queued-1", "T-queued-2");
        awaitPrintedOnceAndAcked(all);
        Thread.sleep(3_000);
        assertThat(all).allSatisfy(id -> assertThat(printed(id)).as(id).isEqualTo(1));
        assertThat(printer.jobs()).hasSize(all.size());
    }
}
