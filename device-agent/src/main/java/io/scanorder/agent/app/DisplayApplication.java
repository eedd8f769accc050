package io.scanorder.agent.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.agent.config.AgentConfig.DeviceType;
import io.scanorder.agent.config.DeviceConfig;
import io.scanorder.agent.heartbeat.DeviceHealth;
import io.scanorder.agent.heartbeat.DeviceHealth.Cover;
import io.scanorder.agent.heartbeat.DeviceHealth.Link;
import io.scanorder.agent.heartbeat.DeviceHealth.Paper;
import io.scanorder.agent.heartbeat.Heartbeat;
import io.scanorder.agent.led.LedBoardDriver;
import io.scanorder.agent.led.LedBoardException;
import io.scanorder.agent.led.LedLineProtocol;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.Transport;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The LED board agent's application: the retained {@code display} topic says which pickup numbers
 * are ready, {@code {"ready":["0042","0043"]}}; the board is made to show them, and shown again
 * every poll interval while it could not be reached. Knows neither MQTT nor the board's wire
 * protocol.
 */
public final class DisplayApplication implements AutoCloseable {

    /** A display message is a short list of numbers; anything far bigger is not one. */
    public static final int MAX_BYTES = 4 * 1024;

    private static final System.Logger LOG = System.getLogger(DisplayApplication.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AgentApplication.Settings settings;
    private final Transport transport;
    private final LedBoardDriver board;
    private final Heartbeat heartbeat;
    private final PushedConfig pushed;
    private final String displayTopic;
    private final AgentCounters counters = new AgentCounters();
    private final ExecutorService worker =
            Executors.newSingleThreadExecutor(r -> daemon(r, "scanorder-display-worker"));
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "scanorder-display-timer"));
    private volatile List<String> wanted;
    private volatile boolean inSync = true;
    private volatile Link link = Link.UNKNOWN;

    public DisplayApplication(
            AgentApplication.Settings settings,
            Transport transport,
            LedBoardDriver board,
            Clock clock) {
        this.settings = settings;
        this.transport = transport;
        this.board = board;
        this.displayTopic = DeviceChannel.DISPLAY.topic(settings.storeCode(), settings.deviceId());
        this.heartbeat =
                new Heartbeat(
                        transport,
                        () -> new DeviceHealth(Paper.UNKNOWN, Cover.UNKNOWN, link, 0),
                        settings.heartbeatInterval(),
                        settings.deviceId(),
                        settings.agentVersion(),
                        clock);
        // heartbeat interval (and, for printers, more) as the order service last pushed it
        this.pushed =
                new PushedConfig(
                        settings.storeCode(),
                        settings.deviceId(),
                        DeviceType.LED_BOARD,
                        settings.configFile(),
                        counters,
                        config -> heartbeat.interval(config.heartbeatInterval()));
        heartbeat.configRevision(pushed::revision);
        pushed.loadStored();
    }

    /**
     * Connects (retrying until the broker answers), subscribes to the display topic (the retained
     * message arrives at once) and starts heartbeats and retries.
     *
     * @throws InterruptedException if stopped while waiting for the broker
     */
    public void start() throws InterruptedException {
        Startup.connect(transport);
        Startup.subscribe(transport, DeviceChannel.DISPLAY, (channel, payload) -> receive(payload));
        pushed.subscribe(transport);
        heartbeat.start();
        long ms = settings.printerPoll().toMillis();
        timer.scheduleWithFixedDelay(
                () -> {
                    if (!inSync) {
                        worker.execute(this::push);
                    }
                },
                ms,
                ms,
                TimeUnit.MILLISECONDS);
    }

    private void receive(byte[] payload) {
        List<String> numbers;
        try {
            numbers = parse(payload);
        } catch (IllegalArgumentException e) {
            if (payload.length > MAX_BYTES) {
                counters.droppedOversized.incrementAndGet();
            } else {
                counters.droppedInvalid.incrementAndGet();
            }
            LOG.log(
                    Level.WARNING,
                    "dropped payload on "
                            + displayTopic
                            + ": "
                            + e.getMessage()
                            + " (dropped so far: "
                            + counters.dropped()
                            + ")");
            return;
        }
        wanted = numbers;
        inSync = false;
        worker.execute(this::push);
    }

    /** Reads {@code {"ready":[...]}}, strictly. */
    static List<String> parse(byte[] payload) {
        if (payload.length > MAX_BYTES) {
            throw new IllegalArgumentException(
                    "display payload is " + payload.length + " bytes, more than " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (IOException e) {
            throw new IllegalArgumentException("display payload is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("display payload must be a JSON object");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("ready")) {
                throw new IllegalArgumentException("unknown field '" + name + "'");
            }
        }
        JsonNode ready = root.get("ready");
        if (ready == null || !ready.isArray()) {
            throw new IllegalArgumentException("ready must be an array of pickup numbers");
        }
        List<String> numbers = new ArrayList<>();
        for (int i = 0; i < ready.size(); i++) {
            if (!ready.get(i).isTextual()) {
                throw new IllegalArgumentException("ready[" + i + "] must be a string");
            }
            numbers.add(ready.get(i).textValue());
        }
        try {
            LedLineProtocol.check(numbers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("ready: " + e.getMessage());
        }
        return List.copyOf(numbers);
    }

    private void push() {
        List<String> numbers = wanted;
        if (numbers == null) {
            return;
        }
        try {
            board.show(numbers);
            link = Link.ONLINE;
            if (numbers == wanted) {
                inSync = true;
            }
        } catch (LedBoardException e) {
            link = Link.UNREACHABLE;
            LOG.log(Level.WARNING, e.getMessage() + "; retrying");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "showing pickup numbers failed", e);
        }
    }

    /** The pushed config in force; empty while the agent runs with its file's settings. */
    public Optional<DeviceConfig> pushedConfig() {
        return pushed.current();
    }

    /** Time between heartbeats now (the pushed config's, else the agent file's). */
    public Duration heartbeatInterval() {
        return heartbeat.interval();
    }

    /** Counters since start. */
    public AgentCounters counters() {
        return counters;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        heartbeat.close();
        worker.shutdownNow();
        transport.close();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
