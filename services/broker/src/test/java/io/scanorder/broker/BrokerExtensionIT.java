package io.scanorder.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.scanorder.broker.auth.InMemoryCredentialStore;
import io.scanorder.broker.topic.DeviceTopics;
import io.scanorder.broker.topic.DeviceTopics.Channel;
import io.scanorder.broker.topic.Principal;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real HiveMQ with the ScanOrder extension, real Paho MQTT 5 clients. */
class BrokerExtensionIT {

    private static final int NOT_AUTHORIZED = 0x87;
    private static final int BAD_USER_NAME_OR_PASSWORD = 0x86;
    private static final int CLIENT_IDENTIFIER_NOT_VALID = 0x85;

    @TempDir static Path dataDir;
    private static EmbeddedBroker broker;
    private final List<MqttClient> clients = new ArrayList<>();
    private final List<MqttAsyncClient> asyncClients = new ArrayList<>();

    @BeforeAll
    static void startBroker() {
        InMemoryCredentialStore store =
                new InMemoryCredentialStore()
                        .put(Principal.device("001", "A"), "a-secret".toCharArray(), 1_000)
                        .put(Principal.device("001", "B"), "b-secret".toCharArray(), 1_000)
                        .put(Principal.service("order-service"), "svc-secret".toCharArray(), 1_000);
        broker =
                EmbeddedBroker.builder()
                        .dataFolder(dataDir)
                        .credentials(store)
                        .persistence(EmbeddedBroker.Persistence.IN_MEMORY)
                        .build()
                        .start();
    }

    @AfterAll
    static void stopBroker() {
        broker.stop();
    }

    @AfterEach
    void closeClients() {
        for (MqttAsyncClient c : asyncClients) {
            try {
                if (c.isConnected()) {
                    c.disconnect().waitForCompletion(5_000);
                }
                c.close(true);
            } catch (MqttException ignored) {
                // best effort cleanup
            }
        }
        for (MqttClient c : clients) {
            try {
                if (c.isConnected()) {
                    c.disconnect();
                }
                c.close();
            } catch (MqttException ignored) {
                // best effort cleanup
            }
        }
    }

    private MqttClient connect(String clientId, String user, String password) throws MqttException {
        MqttClient client = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
        clients.add(client);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        options.setCleanStart(true);
        options.setConnectionTimeout(10);
        client.connect(options);
        return client;
    }

    private MqttAsyncClient connectAsync(String clientId, String user, String password)
            throws MqttException {
        MqttAsyncClient client =
                new MqttAsyncClient(broker.uri(), clientId, new MemoryPersistence());
        asyncClients.add(client);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName(user);
        options.setPassword(password.getBytes(StandardCharsets.UTF_8));
        client.connect(options).waitForCompletion(10_000);
        return client;
    }

    /** Subscribes and returns the live list of "topic=payload" the client receives. */
    private static List<String> collect(MqttClient client, String filter) throws MqttException {
        List<String> received = new CopyOnWriteArrayList<>();
        client.setCallback(new Recorder(received, new CopyOnWriteArrayList<>()));
        IMqttToken token =
                client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)});
        assertThat(token.getReasonCodes()).containsExactly(1);
        return received;
    }

    private static int subscribeReasonCode(MqttClient client, String filter) {
        try {
            return client.subscribe(new MqttSubscription[] {new MqttSubscription(filter, 1)})
                    .getReasonCodes()[0];
        } catch (MqttException e) {
            return e.getReasonCode();
        }
    }

    @Test
    void connackAllowsTheServerReceiveMaximumOfTheShippedConfig() throws Exception {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("order-service");
        options.setPassword("svc-secret".getBytes(StandardCharsets.UTF_8));
        MqttAsyncClient client =
                new MqttAsyncClient(broker.uri(), "order-service-rm", new MemoryPersistence());
        asyncClients.add(client);
        IMqttToken token = client.connect(options);
        token.waitForCompletion(10_000);

        assertThat(token.getResponseProperties().getReceiveMaximum())
                .isEqualTo(EmbeddedBroker.SERVER_RECEIVE_MAXIMUM)
                .isGreaterThan(10);
        // the chart installs this file: it must allow what the embedded broker allows
        assertThat(Files.readString(Path.of("src/main/hivemq/config.xml")))
                .contains(
                        "<server-receive-maximum>"
                                + EmbeddedBroker.SERVER_RECEIVE_MAXIMUM
                                + "</server-receive-maximum>");
    }

    @Test
    void deviceWithWrongPasswordIsRefused() {
        assertThatThrownBy(() -> connect("A", "A", "not-the-secret"))
                .isInstanceOfSatisfying(
                        MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void unknownUserIsRefused() {
        assertThatThrownBy(() -> connect("Z", "Z", "whatever"))
                .isInstanceOfSatisfying(
                        MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void deviceUsingAnotherDevicesClientIdIsRefused() {
        assertThatThrownBy(() -> connect("B", "A", "a-secret"))
                .isInstanceOfSatisfying(
                        MqttException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(CLIENT_IDENTIFIER_NOT_VALID));
    }

    @Test
    void refusalReachesTheClientAsAReasonString() throws IOException {
        // Paho does not expose CONNACK reason strings, so speak MQTT 5 on a plain socket.
        RawConnack wrongPassword = RawConnack.connect(broker.port(), "A", "A", "nope");
        assertThat(wrongPassword.reasonCode()).isEqualTo(BAD_USER_NAME_OR_PASSWORD);
        assertThat(wrongPassword.reasonString()).isEqualTo("wrong password for user 'A'");

        RawConnack unknown = RawConnack.connect(broker.port(), "Q", "Q", "nope");
        assertThat(unknown.reasonString()).isEqualTo("unknown user 'Q'");

        RawConnack garbage = RawConnack.connect(broker.port(), "A", "A/#", "nope");
        assertThat(garbage.reasonString()).contains("user name 'A/#' is not valid");

        RawConnack wildcardId = RawConnack.connect(broker.port(), "A+", "A", "a-secret");
        assertThat(wildcardId.reasonCode()).isEqualTo(CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(wildcardId.reasonString()).contains("client id 'A+' is not valid");

        RawConnack ok = RawConnack.connect(broker.port(), "A", "A", "a-secret");
        assertThat(ok.reasonCode()).isZero();
    }

    @Test
    void deviceHeartbeatReachesTheServiceThroughASharedSubscription() throws Exception {
        MqttClient service = connect("order-service-1", "order-service", "svc-secret");
        List<String> received =
                collect(service, "$share/order-service/scanorder/+/devices/+/heartbeat");
        MqttClient deviceA = connect("A", "A", "a-secret");

        deviceA.publish(
                DeviceTopics.topic("001", "A", Channel.HEARTBEAT),
                new MqttMessage(
                        "{\"paper\":\"OK\"}".getBytes(StandardCharsets.UTF_8), 0, false, null));

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(received)
                                        .containsExactly(
                                                "scanorder/001/devices/A/heartbeat={\"paper\":\"OK\"}"));
    }

    @Test
    void devicePublishingToAnotherDevicesTopicIsDisconnectedAndNothingIsDelivered()
            throws Exception {
        MqttClient service = connect("order-service-2", "order-service", "svc-secret");
        List<String> received = collect(service, "scanorder/#");

        for (int qos : new int[] {1, 0}) {
            MqttAsyncClient deviceA = connectAsync("A", "A", "a-secret");
            List<MqttDisconnectResponse> disconnects = new CopyOnWriteArrayList<>();
            deviceA.setCallback(new Recorder(new CopyOnWriteArrayList<>(), disconnects));

            deviceA.publish(
                    DeviceTopics.topic("001", "B", Channel.ACKS),
                    ("forged qos " + qos).getBytes(StandardCharsets.UTF_8),
                    qos,
                    false);

            await().atMost(Duration.ofSeconds(10)).until(() -> !disconnects.isEmpty());
            assertThat(disconnects.get(0).getReturnCode()).isEqualTo(NOT_AUTHORIZED);
            assertThat(disconnects.get(0).getReasonString())
                    .isEqualTo(
                            "device 'A' may not publish to 'scanorder/001/devices/B/acks': it"
                                    + " belongs to device 'B' of store 001");
        }

        // the device can come back and publish on its own topics; that message also orders the
        // check below after anything the broker might have delivered
        MqttAsyncClient deviceA = connectAsync("A", "A", "a-secret");
        deviceA.publish(
                        DeviceTopics.topic("001", "A", Channel.ACKS),
                        "real ack".getBytes(StandardCharsets.UTF_8),
                        1,
                        false)
                .waitForCompletion(10_000);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(received)
                                        .contains("scanorder/001/devices/A/acks=real ack"));
        assertThat(received).noneMatch(m -> m.contains("forged"));
    }

    @Test
    void deviceCannotOverwriteTheRetainedConfigOnItsOwnConfigTopic() throws Exception {
        String config = DeviceTopics.topic("001", "A", Channel.CONFIG);
        MqttClient service = connect("order-service-cfg", "order-service", "svc-secret");
        service.publish(config, "{\"revision\":\"r1\"}".getBytes(StandardCharsets.UTF_8), 1, true);

        MqttAsyncClient deviceA = connectAsync("A", "A", "a-secret");
        List<MqttDisconnectResponse> disconnects = new CopyOnWriteArrayList<>();
        deviceA.setCallback(new Recorder(new CopyOnWriteArrayList<>(), disconnects));
        deviceA.publish(
                config, "{\"revision\":\"forged\"}".getBytes(StandardCharsets.UTF_8), 1, true);

        await().atMost(Duration.ofSeconds(10)).until(() -> !disconnects.isEmpty());
        assertThat(disconnects.get(0).getReturnCode()).isEqualTo(NOT_AUTHORIZED);
        assertThat(disconnects.get(0).getReasonString()).contains(config);
        // a new subscriber still gets what the service pushed, not the device's forgery
        MqttClient reader = connect("order-service-cfg-reader", "order-service", "svc-secret");
        List<String> retained = collect(reader, config);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(retained)
                                        .containsExactly(config + "={\"revision\":\"r1\"}"));
        service.publish(config, new byte[0], 1, true);
    }

    @Test
    void deviceCannotSubscribeBeyondItsOwnIncomingTopics() throws Exception {
        MqttClient deviceA = connect("A", "A", "a-secret");

        assertThat(subscribeReasonCode(deviceA, "scanorder/#")).isEqualTo(NOT_AUTHORIZED);
        assertThat(subscribeReasonCode(deviceA, "#")).isEqualTo(NOT_AUTHORIZED);
        assertThat(subscribeReasonCode(deviceA, DeviceTopics.topic("001", "B", Channel.TICKETS)))
                .isEqualTo(NOT_AUTHORIZED);
        assertThat(subscribeReasonCode(deviceA, DeviceTopics.topic("001", "A", Channel.TICKETS)))
                .isEqualTo(1);
    }

    @Test
    void serviceTicketReachesOnlyTheAddressedDevice() throws Exception {
        MqttClient deviceA = connect("A", "A", "a-secret");
        MqttClient deviceB = connect("B", "B", "b-secret");
        List<String> atA = collect(deviceA, DeviceTopics.topic("001", "A", Channel.TICKETS));
        List<String> atB = collect(deviceB, DeviceTopics.topic("001", "B", Channel.TICKETS));
        MqttClient service = connect("order-service-3", "order-service", "svc-secret");

        service.publish(
                DeviceTopics.topic("001", "B", Channel.TICKETS),
                "ticket-42".getBytes(StandardCharsets.UTF_8),
                1,
                false);

        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(
                        () ->
                                assertThat(atB)
                                        .containsExactly(
                                                "scanorder/001/devices/B/tickets=ticket-42"));
        assertThat(atA).isEmpty();
    }

    /** Records "topic=payload" of every message and every server DISCONNECT. */
    private record Recorder(List<String> messages, List<MqttDisconnectResponse> disconnects)
            implements MqttCallback {
        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8));
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.add(response);
        }

        @Override
        public void mqttErrorOccurred(MqttException exception) {}

        @Override
        public void deliveryComplete(IMqttToken token) {}

        @Override
        public void connectComplete(boolean reconnect, String serverURI) {}

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {}
    }

    /** A minimal MQTT 5 CONNECT on a socket, reading back the CONNACK reason code and string. */
    record RawConnack(int reasonCode, String reasonString) {

        static RawConnack connect(int port, String clientId, String user, String password)
                throws IOException {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
                writeString(body, "MQTT");
                body.write(5); // protocol level
                body.write(0x80 | 0x40 | 0x02); // user name, password, clean start
                body.write(0);
                body.write(30); // keep alive
                body.write(0); // no properties
                writeString(body, clientId);
                writeString(body, user);
                writeString(body, password);
                OutputStream out = socket.getOutputStream();
                out.write(0x10);
                writeVarInt(out, body.size());
                body.writeTo(out);
                out.flush();

                DataInputStream in = new DataInputStream(socket.getInputStream());
                assertThat(in.readUnsignedByte()).as("CONNACK packet type").isEqualTo(0x20);
                readVarInt(in);
                in.readUnsignedByte(); // acknowledge flags
                int reasonCode = in.readUnsignedByte();
                int propertiesLength = readVarInt(in);
                byte[] properties = new byte[propertiesLength];
                in.readFully(properties);
                return new RawConnack(reasonCode, findReasonString(properties));
            }
        }

        /** Walks the CONNACK properties; only the reason string (0x1F) is decoded. */
        private static String findReasonString(byte[] p) {
            int i = 0;
            while (i < p.length) {
                int id = p[i++] & 0xFF;
                switch (id) {
                    case 0x1F, 0x12, 0x1A, 0x1C, 0x15 -> { // UTF-8 strings
                        int len = ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
                        String s = new String(p, i + 2, len, StandardCharsets.UTF_8);
                        if (id == 0x1F) {
                            return s;
                        }
                        i += 2 + len;
                    }
                    case 0x11, 0x27 -> i += 4; // four-byte integers
                    case 0x21, 0x22, 0x13 -> i += 2; // two-byte integers
                    case 0x24, 0x25, 0x28, 0x29, 0x2A -> i += 1; // bytes
                    case 0x16 -> { // binary data
                        int len = ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
                        i += 2 + len;
                    }
                    case 0x26 -> { // user property: two strings
                        for (int k = 0; k < 2; k++) {
                            int len = ((p[i] & 0xFF) << 8) | (p[i + 1] & 0xFF);
                            i += 2 + len;
                        }
                    }
                    default -> throw new IllegalStateException("unexpected CONNACK property " + id);
                }
            }
            return null;
        }

        private static void writeString(java.io.ByteArrayOutputStream out, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >> 8);
            out.write(b.length & 0xFF);
            out.write(b, 0, b.length);
        }

        private static void writeVarInt(OutputStream out, int value) throws IOException {
            do {
                int digit = value % 128;
                value /= 128;
                out.write(value > 0 ? digit | 0x80 : digit);
            } while (value > 0);
        }

        private static int readVarInt(DataInputStream in) throws IOException {
            int value = 0;
            int multiplier = 1;
            int digit;
            do {
                digit = in.readUnsignedByte();
                value += (digit & 0x7F) * multiplier;
                multiplier *= 128;
            } while ((digit & 0x80) != 0);
            return value;
        }
    }
}
