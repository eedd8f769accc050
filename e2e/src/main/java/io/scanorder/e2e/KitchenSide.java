package io.scanorder.e2e;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.scanorder.agent.AgentMain;
import io.scanorder.agent.app.AgentApplication;
import io.scanorder.agent.app.DisplayApplication;
import io.scanorder.agent.app.KdsApplication;
import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.emulator.LedBoardEmulator;
import io.scanorder.agent.emulator.PrinterEmulator;
import io.scanorder.agent.led.LineProtocolLedBoard;
import io.scanorder.agent.printer.PaperWidth;
import io.scanorder.agent.ticket.TicketJournal;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.crds.v1alpha1.DeviceRole;
import io.scanorder.crds.v1alpha1.DeviceType;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.crds.v1alpha1.KitchenDeviceSpec;
import io.scanorder.operator.MenuPublisher;
import io.scanorder.operator.StorePublisher;
import io.scanorder.operator.model.DeviceRegistration;
import io.scanorder.operator.model.MenuContent;
import io.scanorder.operator.model.StoreDefinitions;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.MenuAdminGrpc;
import io.scanorder.proto.order.v1.StoreAdminGrpc;
import io.scanorder.testkit.FreePorts;
import io.scanorder.testkit.MqttBroker;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The kitchen side of the example store, brought up through the paths the operator uses: the menu
 * goes to {@code MenuAdmin/PublishMenu} as {@link MenuContent} builds it (the Store's tables to
 * {@code StoreAdmin/ApplyStore} as {@link StoreDefinitions} builds it), every KitchenDevice to
 * {@code DeviceRegistry/RegisterDevice} as {@link DeviceRegistration} builds it, and each device
 * gets broker credentials and a real agent driving an emulator (printers, LED board) or serving its
 * page (KDS tablet).
 */
final class KitchenSide {
    // generous: the platform starts on busy CI machines too
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final String DEFAULT_TIMEZONE = "Asia/Shanghai";

    /**
     * One running device.
     *
     * @param id device id (the resource name, also its MQTT user)
     * @param type device type as in the resource
     * @param stations the stations it serves
     * @param role primary or backup
     * @param endpoint where to look at it: the emulator's address or the KDS page URL
     * @param printer the printer emulator of a printer, else null
     * @param board the LED board emulator of an LED board, else null
     * @param kds the KDS agent of a KDS tablet, else null
     */
    record RunningDevice(
            String id,
            String type,
            List<String> stations,
            String role,
            String endpoint,
            PrinterEmulator printer,
            LedBoardEmulator board,
            KdsApplication kds) {}

    private KitchenSide() {}

    /**
     * Applies the example store's areas, tables, stations and order settings through StoreAdmin, by
     * the operator's own publishing path ({@link StorePublisher}: GetStore compare, then
     * ApplyStore).
     *
     * @throws IllegalStateException naming the store and the service's answer when it fails
     */
    static StorePublisher.Outcome applyStore(ExampleManifests examples, int orderGrpcPort) {
        ManagedChannel channel = channel(orderGrpcPort);
        try {
            return StorePublisher.publish(
                    StoreAdminGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    StoreDefinitions.toProto(examples.store()));
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException(
                    "Store "
                            + examples.store().getMetadata().getName()
                            + ": StoreAdmin/ApplyStore of store "
                            + examples.storeCode()
                            + " failed: "
                            + e.getStatus(),
                    e);
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Publishes the example menu by the operator's own publishing path ({@link MenuPublisher}:
     * GetMenu compare by the service's revision hash, then PublishMenu).
     */
    static MenuPublisher.Outcome publishMenu(ExampleManifests examples, int orderGrpcPort) {
        ManagedChannel channel = channel(orderGrpcPort);
        try {
            return MenuPublisher.publish(
                    MenuAdminGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    examples.storeCode(),
                    MenuContent.toProto(examples.menu().getSpec()));
        } catch (StatusRuntimeException e) {
            throw new IllegalStateException(
                    "Menu "
                            + examples.menu().getMetadata().getName()
                            + ": MenuAdmin/PublishMenu to store "
                            + examples.storeCode()
                            + " failed: "
                            + e.getStatus(),
                    e);
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Registers every example device with the order service's device registry.
     *
     * @throws IllegalStateException naming the device when the service refuses it, and saying so
     *     plainly when the service has no device registry (UNIMPLEMENTED)
     */
    static void registerDevices(ExampleManifests examples, int orderGrpcPort) {
        ManagedChannel channel = channel(orderGrpcPort);
        try {
            var registry = DeviceRegistryGrpc.newBlockingStub(channel);
            for (KitchenDevice device : examples.devices()) {
                try {
                    registry.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .registerDevice(
                                    DeviceRegistration.request(device, examples.storeCode()));
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                        throw new IllegalStateException(
                                "the order service at 127.0.0.1:"
                                        + orderGrpcPort
                                        + " does not implement scanorder.order.v1.DeviceRegistry"
                                        + " (RegisterDevice answered UNIMPLEMENTED), so KitchenDevice "
                                        + device.getMetadata().getName()
                                        + " and the other example devices cannot be registered"
                                        + " and no ticket would reach them. Rebuild the order"
                                        + " service from a checkout that includes the device"
                                        + " registry.",
                                e);
                    }
                    throw new IllegalStateException(
                            "KitchenDevice "
                                    + device.getMetadata().getName()
                                    + ": DeviceRegistry/RegisterDevice for store "
                                    + examples.storeCode()
                                    + " failed: "
                                    + e.getStatus(),
                            e);
                }
            }
        } finally {
            channel.shutdownNow();
        }
    }

    /**
     * Starts a device agent for every example device, each with its own broker credentials, and
     * pushes what must be stopped onto {@code started}.
     */
    static List<RunningDevice> startAgents(
            ExampleManifests examples,
            MqttBroker broker,
            Path workDir,
            Path receiptsDir,
            Deque<AutoCloseable> started)
            throws InterruptedException {
        String storeCode = examples.storeCode();
        String tz = examples.store().getSpec().getTimezone();
        ZoneId zone = ZoneId.of(tz == null ? DEFAULT_TIMEZONE : tz);
        List<RunningDevice> running = new ArrayList<>();
        for (KitchenDevice device : examples.devices()) {
            String id = device.getMetadata().getName();
            KitchenDeviceSpec spec = device.getSpec();
            String password = HexFormat.of().formatHex(randomBytes(16));
            broker.addDevice(storeCode, id, password);
            Properties props = new Properties();
            props.setProperty(AgentConfig.STORE_CODE, storeCode);
            props.setProperty(AgentConfig.DEVICE_ID, id);
            props.setProperty(AgentConfig.DEVICE_TYPE, typeName(spec.getType()));
            props.setProperty(AgentConfig.BROKER_URI, broker.uri());
            props.setProperty(AgentConfig.BROKER_PASSWORD, password);
            props.setProperty(
                    AgentConfig.HEARTBEAT_INTERVAL,
                    Integer.toString(
                            spec.getHeartbeatIntervalSeconds() == null
                                    ? 15
                                    : spec.getHeartbeatIntervalSeconds()));
            props.setProperty(AgentConfig.TIMEZONE, zone.getId());
            props.setProperty(
                    AgentConfig.JOURNAL_FILE,
                    workDir.resolve("devices").resolve(id + ".journal").toString());
            String endpoint;
            PrinterEmulator printerEmulator = null;
            LedBoardEmulator boardEmulator = null;
            KdsApplication kdsAgent = null;
            if (spec.getType() == DeviceType.PRINTER) {
                int widthMm =
                        spec.getPrinter() == null || spec.getPrinter().getPaperWidthMm() == null
                                ? 80
                                : spec.getPrinter().getPaperWidthMm();
                PaperWidth width = PaperWidth.ofMillimetres(widthMm);
                PrinterEmulator printer = PrinterEmulator.start(0, width.columns());
                started.push(printer);
                printerEmulator = printer;
                ReceiptFiles.keep(printer, id, receiptsDir);
                props.setProperty(AgentConfig.PRINTER_HOST, "127.0.0.1");
                props.setProperty(AgentConfig.PRINTER_PORT, Integer.toString(printer.port()));
                props.setProperty(AgentConfig.PRINTER_WIDTH, Integer.toString(widthMm));
                // checked here so that a bad example fails with the device named
                config(props, id);
                PrinterAgent agent = new PrinterAgent(props, width, zone);
                started.push(agent);
                agent.start();
                endpoint = "printer emulator 127.0.0.1:" + printer.port() + " (" + widthMm + " mm)";
            } else if (spec.getType() == DeviceType.LED_BOARD) {
                LedBoardEmulator board = LedBoardEmulator.start(0);
                started.push(board);
                boardEmulator = board;
                props.setProperty(AgentConfig.LED_HOST, "127.0.0.1");
                props.setProperty(AgentConfig.LED_PORT, Integer.toString(board.port()));
                AgentConfig config = config(props, id);
                DisplayApplication agent =
                        new DisplayApplication(
                                settings(config),
                                new PahoTransport(config),
                                new LineProtocolLedBoard(
                                        "127.0.0.1", board.port(), Duration.ofSeconds(3)),
                                Clock.systemUTC());
                started.push(agent);
                agent.start();
                endpoint = "LED board emulator 127.0.0.1:" + board.port();
            } else {
                int pagePort = FreePorts.loopback();
                props.setProperty(AgentConfig.KDS_PORT, Integer.toString(pagePort));
                props.setProperty(AgentConfig.KDS_BIND, "127.0.0.1");
                AgentConfig config = config(props, id);
                TicketJournal journal = journal(config);
                started.push(journal);
                KdsApplication agent =
                        new KdsApplication(
                                settings(config),
                                new PahoTransport(config),
                                journal,
                                new InetSocketAddress("127.0.0.1", pagePort),
                                Clock.systemUTC());
                started.push(agent);
                agent.start();
                kdsAgent = agent;
                endpoint = "KDS page http://127.0.0.1:" + agent.pagePort() + "/";
            }
            running.add(
                    new RunningDevice(
                            id,
                            typeName(spec.getType()),
                            spec.getStations() == null ? List.of() : spec.getStations(),
                            spec.getRole() == DeviceRole.BACKUP ? "backup" : "primary",
                            endpoint,
                            printerEmulator,
                            boardEmulator,
                            kdsAgent));
        }
        return running;
    }

    /** The type as the resource and the agent spell it. */
    static String typeName(DeviceType type) {
        return switch (type) {
            case PRINTER -> AgentConfig.DeviceType.PRINTER.value();
            case KDS_TABLET -> AgentConfig.DeviceType.KDS_TABLET.value();
            case LED_BOARD -> AgentConfig.DeviceType.LED_BOARD.value();
        };
    }

    private static AgentConfig config(Properties props, String deviceId) {
        try {
            return AgentConfig.from(props, Map.of());
        } catch (RuntimeException e) {
            throw new IllegalStateException(
                    "KitchenDevice "
                            + deviceId
                            + ": agent configuration refused: "
                            + e.getMessage(),
                    e);
        }
    }

    private static TicketJournal journal(AgentConfig config) {
        try {
            java.nio.file.Files.createDirectories(config.journalFile().getParent());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(
                    "cannot create the device journal folder " + config.journalFile().getParent(),
                    e);
        }
        return TicketJournal.open(config.journalFile());
    }

    private static AgentApplication.Settings settings(AgentConfig config) {
        return new AgentApplication.Settings(
                config.storeCode(),
                config.deviceId(),
                config.heartbeatInterval(),
                config.printerPoll(),
                AgentMain.version());
    }

    private static ManagedChannel channel(int port) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
