package io.scanorder.e2e.bench;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.scanorder.e2e.LocalPlatform;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.DevicePhase;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.proto.order.v1.ListDeviceHealthRequest;
import io.scanorder.proto.order.v1.ListDeviceHealthResponse;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Many devices, each with its own broker account, heartbeating against one broker and one order
 * service that has them all registered: how many stay connected, how many heartbeats per second the
 * order service records, what the broker and the service hold in memory, and how long the service
 * takes to report devices offline that vanish without a word.
 */
final class DevicesScenario {
    static final String NAME = "devices";
    static final String PREFIX = "bench-dev-";

    private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final int REGISTER_ATTEMPTS = 20;

    private DevicesScenario() {}

    static void run(LocalPlatform platform, BenchSettings settings, BenchReport report)
            throws Exception {
        String store = platform.examples().storeCode();
        int n = settings.devices();
        int heartbeatSeconds = (int) settings.heartbeat().toSeconds();
        ManagedChannel channel =
                ManagedChannelBuilder.forAddress("127.0.0.1", platform.orderGrpcPort())
                        .usePlaintext()
                        .maxInboundMessageSize(64 * 1024 * 1024)
                        .build();
        long orderPid = platform.service("order").pid();
        Process fleet = null;
        try {
            long t0 = System.nanoTime();
            int retried = register(channel, store, n, heartbeatSeconds);
            String password = BenchSettings.randomHex(16);
            for (int i = 0; i < n; i++) {
                platform.broker().addDevice(store, DeviceFleet.deviceId(PREFIX, i), password);
            }
            double registerSeconds = (System.nanoTime() - t0) / 1e9;

            double brokerHeapBefore = ProcessMemory.ownHeapAfterGcMiB();
            double brokerRssBefore = ProcessMemory.rssMiB(ProcessHandle.current().pid());
            double orderHeapBefore =
                    ProcessMemory.serviceHeapAfterGcMiB(orderPid, platform.orderHttpPort());
            double orderRssBefore = ProcessMemory.rssMiB(orderPid);

            fleet = startFleet(platform, settings, store, password);
            BlockingQueue<String> lines = output(fleet);
            PrintStream commands =
                    new PrintStream(fleet.getOutputStream(), true, StandardCharsets.UTF_8);
            long c0 = System.nanoTime();
            String connectedLine = await(lines, "CONNECTED", CONNECT_TIMEOUT);
            double connectSeconds = (System.nanoTime() - c0) / 1e9;
            String[] connected = connectedLine.split(" ", 4);
            long ok = Long.parseLong(connected[1]);
            long failed = Long.parseLong(connected[2]);
            report.add(
                    Measurement.of(
                            NAME,
                            "devices connected",
                            ok,
                            "devices",
                            "of "
                                    + n
                                    + " in "
                                    + BenchReport.number(connectSeconds)
                                    + " s (each its own account, will, status, tickets"
                                    + " subscription); registration "
                                    + BenchReport.number(registerSeconds)
                                    + " s, 8 RegisterDevice calls in flight, "
                                    + retried
                                    + " refused with a retryable status and repeated one at a time"
                                    + (failed == 0
                                            ? ""
                                            : "; " + failed + " failed, first: " + connected[3])));

            // Let every device beat at least twice so the service is in its steady state.
            Thread.sleep(settings.heartbeat().multipliedBy(2).toMillis());

            Duration window =
                    max(settings.window().multipliedBy(3), settings.heartbeat().multipliedBy(2));
            String orderDb = platform.postgres().jdbcUrl(LocalPlatform.ORDER_DATABASE);
            long[] sent0 = stats(commands, lines);
            long updates0 = heartbeatUpdates(platform, orderDb);
            long w0 = System.nanoTime();
            Thread.sleep(window.toMillis());
            long[] sent1 = stats(commands, lines);
            long updates1 = heartbeatUpdates(platform, orderDb);
            double seconds = (System.nanoTime() - w0) / 1e9;
            double sentRate = (sent1[0] - sent0[0]) / seconds;
            double handledRate = (updates1 - updates0) / seconds;
            Measurement sentM =
                    Measurement.of(
                            NAME,
                            "heartbeats sent (QoS 0)",
                            sentRate,
                            "msgs/s",
                            (sent1[1] - sent0[1])
                                    + " send failures; "
                                    + sent1[2]
                                    + " connected at the end of the "
                                    + BenchReport.number(seconds)
                                    + " s window; interval "
                                    + heartbeatSeconds
                                    + " s");
            report.add(
                    report.find(CeilingsScenario.NAME, CeilingsScenario.MQTT_QOS1)
                            .map(sentM::relativeTo)
                            .orElse(sentM));
            Measurement handledM =
                    Measurement.of(
                            NAME,
                            "heartbeats recorded by the order service",
                            handledRate,
                            "updates/s",
                            "row updates of kitchen_devices (pg_stat_user_tables) in the window;"
                                    + " the service writes queued heartbeats in batches, one statement each");
            report.add(
                    report.find(CeilingsScenario.NAME, CeilingsScenario.PG_INSERT)
                            .map(handledM::relativeTo)
                            .orElse(handledM));

            var registry = DeviceRegistryGrpc.newBlockingStub(channel);
            ListDeviceHealthRequest list =
                    ListDeviceHealthRequest.newBuilder().setStoreCode(store).build();
            Histogram listMicros = Latency.newHistogram();
            ListDeviceHealthResponse health = null;
            for (int i = 0; i < 5; i++) {
                long l0 = System.nanoTime();
                health =
                        registry.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                                .listDeviceHealth(list);
                Latency.recordNanos(listMicros, System.nanoTime() - l0);
            }
            long online =
                    health.getDevicesList().stream()
                            .filter(d -> d.getDeviceId().startsWith(PREFIX))
                            .filter(d -> d.getPhase() == DevicePhase.DEVICE_PHASE_ONLINE)
                            .count();
            report.add(
                    Measurement.of(
                            NAME,
                            "devices the order service reports online",
                            online,
                            "devices",
                            "ListDeviceHealth phase ONLINE, of " + n + " simulated"));
            report.add(
                    new Measurement(
                            NAME,
                            "ListDeviceHealth of the whole store",
                            health.getDevicesCount(),
                            "devices",
                            Latency.ofMicros(listMicros),
                            null,
                            null,
                            "one gRPC call answering every device"));

            double brokerHeap = ProcessMemory.ownHeapAfterGcMiB();
            double brokerRss = ProcessMemory.rssMiB(ProcessHandle.current().pid());
            double orderHeap =
                    ProcessMemory.serviceHeapAfterGcMiB(orderPid, platform.orderHttpPort());
            double orderRss = ProcessMemory.rssMiB(orderPid);
            double fleetRss = ProcessMemory.rssMiB(fleet.pid());
            report.add(
                    Measurement.of(
                            NAME,
                            "broker JVM heap after GC",
                            brokerHeap,
                            "MiB",
                            "+"
                                    + BenchReport.number(brokerHeap - brokerHeapBefore)
                                    + " MiB with the devices; the benchmark JVM hosts the"
                                    + " embedded broker (plus the local platform's agents and"
                                    + " simulators)"));
            report.add(
                    Measurement.of(
                            NAME,
                            "broker JVM RSS",
                            brokerRss,
                            "MiB",
                            "+" + BenchReport.number(brokerRss - brokerRssBefore) + " MiB"));
            report.add(
                    Measurement.of(
                            NAME,
                            "order service heap after GC",
                            orderHeap,
                            "MiB",
                            "+"
                                    + BenchReport.number(orderHeap - orderHeapBefore)
                                    + " MiB; child JVM -Xmx256m"));
            report.add(
                    Measurement.of(
                            NAME,
                            "order service RSS",
                            orderRss,
                            "MiB",
                            "+" + BenchReport.number(orderRss - orderRssBefore) + " MiB"));
            report.add(
                    Measurement.of(
                            NAME,
                            "device simulator RSS",
                            fleetRss,
                            "MiB",
                            "separate JVM holding the " + ok + " client connections"));

            offlineDetection(
                    registry, list, commands, lines, settings, report, store, heartbeatSeconds);
            commands.println("STOP");
            fleet.waitFor(30, TimeUnit.SECONDS);
        } finally {
            if (fleet != null && fleet.isAlive()) {
                fleet.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** Cuts the first devices' connections and times until ListDeviceHealth says OFFLINE. */
    private static void offlineDetection(
            DeviceRegistryGrpc.DeviceRegistryBlockingStub registry,
            ListDeviceHealthRequest list,
            PrintStream commands,
            BlockingQueue<String> lines,
            BenchSettings settings,
            BenchReport report,
            String store,
            int heartbeatSeconds)
            throws Exception {
        if (settings.cut() == 0) {
            return;
        }
        Set<String> cut = new HashSet<>();
        for (int i = 0; i < settings.cut(); i++) {
            cut.add(DeviceFleet.deviceId(PREFIX, i));
        }
        commands.println("CUT");
        long cutAt = Long.parseLong(await(lines, "CUT", Duration.ofSeconds(30)).split(" ")[1]);
        Map<String, Long> offlineAfter = new HashMap<>();
        long deadline =
                cutAt
                        + settings.heartbeat().multipliedBy(4).toMillis()
                        + Duration.ofSeconds(30).toMillis();
        while (offlineAfter.size() < cut.size() && System.currentTimeMillis() < deadline) {
            ListDeviceHealthResponse health =
                    registry.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .listDeviceHealth(list);
            long now = System.currentTimeMillis();
            for (DeviceHealth d : health.getDevicesList()) {
                if (cut.contains(d.getDeviceId())
                        && d.getPhase() == DevicePhase.DEVICE_PHASE_OFFLINE) {
                    offlineAfter.putIfAbsent(d.getDeviceId(), now - cutAt);
                }
            }
            Thread.sleep(100);
        }
        Histogram micros = Latency.newHistogram();
        offlineAfter.values().forEach(ms -> micros.recordValue(Math.max(1, ms * 1_000)));
        int missed = cut.size() - offlineAfter.size();
        report.add(
                new Measurement(
                        NAME,
                        "offline detection after an abrupt stop",
                        offlineAfter.size(),
                        "devices",
                        // No percentiles at all rather than zeroes that read as "instant".
                        offlineAfter.isEmpty() ? null : Latency.ofMicros(micros),
                        null,
                        null,
                        cut.size()
                                + " devices' TCP connections closed without DISCONNECT (broker"
                                + " publishes their last will); until ListDeviceHealth says"
                                + " OFFLINE, polled every ~100 ms"
                                + (missed == 0 ? "" : "; " + missed + " never reported offline")));
    }

    /**
     * Registers the simulated devices, 8 calls in flight. Calls the service refuses with a
     * retryable status (its SERIALIZABLE transactions conflict when many registrations of one store
     * run at once) are repeated one at a time afterwards; returns how many needed that.
     */
    private static int register(ManagedChannel channel, String store, int n, int heartbeatSeconds)
            throws InterruptedException {
        var registry = DeviceRegistryGrpc.newFutureStub(channel);
        Semaphore inFlight = new Semaphore(8);
        Set<Integer> refused = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int i = 0; i < n; i++) {
            inFlight.acquire();
            int index = i;
            Futures.addCallback(
                    registry.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .registerDevice(registration(store, i, heartbeatSeconds)),
                    new FutureCallback<DeviceHealth>() {
                        @Override
                        public void onSuccess(DeviceHealth result) {
                            inFlight.release();
                        }

                        @Override
                        public void onFailure(Throwable t) {
                            refused.add(index);
                            inFlight.release();
                        }
                    },
                    MoreExecutors.directExecutor());
        }
        inFlight.acquire(8);
        var blocking = DeviceRegistryGrpc.newBlockingStub(channel);
        for (int i : new java.util.TreeSet<>(refused)) {
            // UNAVAILABLE and ABORTED mean "retry the same request" (devices.proto).
            for (int attempt = 1; ; attempt++) {
                try {
                    blocking.withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .registerDevice(registration(store, i, heartbeatSeconds));
                    break;
                } catch (io.grpc.StatusRuntimeException e) {
                    var code = e.getStatus().getCode();
                    boolean retryable =
                            code == io.grpc.Status.Code.UNAVAILABLE
                                    || code == io.grpc.Status.Code.ABORTED;
                    if (!retryable || attempt == REGISTER_ATTEMPTS) {
                        throw new IllegalStateException(
                                "DeviceRegistry/RegisterDevice of "
                                        + DeviceFleet.deviceId(PREFIX, i)
                                        + " in store "
                                        + store
                                        + " still failed after "
                                        + attempt
                                        + " attempts one at a time: "
                                        + e.getStatus(),
                                e);
                    }
                    Thread.sleep(250L * attempt);
                }
            }
        }
        return refused.size();
    }

    private static RegisterDeviceRequest registration(String store, int i, int heartbeatSeconds) {
        return RegisterDeviceRequest.newBuilder()
                .setStoreCode(store)
                .setDeviceId(DeviceFleet.deviceId(PREFIX, i))
                .setType(DeviceType.DEVICE_TYPE_KDS_TABLET)
                .setRole(DeviceRole.DEVICE_ROLE_BACKUP)
                // A station no menu item uses: the simulated devices never get tickets.
                .addStations("bench")
                .setHeartbeatIntervalSeconds(heartbeatSeconds)
                .build();
    }

    private static Process startFleet(
            LocalPlatform platform, BenchSettings settings, String store, String password)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        command.add("-Dfleet.host=" + platform.broker().host());
        command.add("-Dfleet.port=" + platform.broker().port());
        command.add("-Dfleet.store=" + store);
        command.add("-Dfleet.prefix=" + PREFIX);
        command.add("-Dfleet.count=" + settings.devices());
        command.add("-Dfleet.cut=" + settings.cut());
        command.add("-Dfleet.heartbeat=" + settings.heartbeat().toSeconds());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(DeviceFleet.class.getName());
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("BENCH_FLEET_PASSWORD", password);
        builder.redirectError(settings.outputDir().resolve("device-fleet.log").toFile());
        java.nio.file.Files.createDirectories(settings.outputDir());
        return builder.start();
    }

    private static BlockingQueue<String> output(Process fleet) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader in =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    fleet.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = in.readLine()) != null) {
                                    lines.add(line);
                                }
                            } catch (IOException e) {
                                // the fleet exited
                            }
                            lines.add("EXITED");
                        },
                        "bench-fleet-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** The next line starting with {@code word}; fails if the fleet exits or time runs out. */
    private static String await(BlockingQueue<String> lines, String word, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new IllegalStateException(
                        "the device simulator did not answer " + word + " within " + timeout);
            }
            if (line.equals("EXITED")) {
                throw new IllegalStateException(
                        "the device simulator exited while waiting for "
                                + word
                                + "; see target/bench/device-fleet.log");
            }
            if (line.startsWith(word + " ")) {
                return line;
            }
        }
    }

    /** Heartbeats sent, send failures, connected clients. */
    private static long[] stats(PrintStream commands, BlockingQueue<String> lines)
            throws InterruptedException {
        commands.println("STATS");
        String[] s = await(lines, "STATS", Duration.ofSeconds(30)).split(" ");
        return new long[] {Long.parseLong(s[1]), Long.parseLong(s[2]), Long.parseLong(s[3])};
    }

    /** Row updates of kitchen_devices so far (PostgreSQL's cumulative statistics). */
    private static long heartbeatUpdates(LocalPlatform platform, String url) throws Exception {
        // The statistics collector publishes at most every 500 ms.
        Thread.sleep(600);
        try (Connection c =
                        DriverManager.getConnection(
                                url, platform.postgres().user(), platform.postgres().password());
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery(
                                "SELECT n_tup_upd FROM pg_stat_user_tables"
                                        + " WHERE relname = 'kitchen_devices'")) {
            if (!rs.next()) {
                throw new IllegalStateException(
                        "pg_stat_user_tables has no row for kitchen_devices in " + url);
            }
            return rs.getLong(1);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
