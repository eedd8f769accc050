package io.scanorder.agent;

import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.config.AgentConfigException;
import io.scanorder.agent.heartbeat.DeviceHealth;
import io.scanorder.agent.heartbeat.Heartbeat;
import io.scanorder.agent.transport.PahoTransport;
import io.scanorder.agent.transport.Transport;
import io.scanorder.agent.transport.TransportException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

/**
 * Starts the device agent: {@code java -jar scanorder-device-agent.jar
 * /etc/scanorder/agent.properties} (or the path in {@code SCANORDER_AGENT_CONFIG}); every key can
 * be overridden by environment variables, see {@link AgentConfig}.
 */
public final class AgentMain implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(AgentMain.class.getName());

    private final Transport transport;
    private final Heartbeat heartbeat;

    /** Wires the agent; nothing talks to the network until {@link #start()}. */
    public AgentMain(AgentConfig config, Transport transport) {
        this.transport = transport;
        // No driver reports hardware state yet, so heartbeats honestly say UNKNOWN.
        this.heartbeat =
                new Heartbeat(
                        transport,
                        () -> DeviceHealth.UNKNOWN,
                        config.heartbeatInterval(),
                        config.deviceId(),
                        version(),
                        Clock.systemUTC());
    }

    /**
     * Connects (retrying with back-off until the broker answers) and starts heartbeats.
     *
     * @throws InterruptedException if stopped while waiting for the broker
     */
    public void start() throws InterruptedException {
        long delayMs = 1_000;
        while (true) {
            try {
                transport.connect();
                break;
            } catch (TransportException e) {
                LOG.log(Level.WARNING, e.getMessage() + "; retrying in " + delayMs + " ms");
                Thread.sleep(delayMs);
                delayMs = Math.min(delayMs * 2, 30_000);
            }
        }
        heartbeat.start();
    }

    @Override
    public void close() {
        heartbeat.close();
        transport.close();
    }

    /** The agent version from the jar manifest, or {@code dev} when run from classes. */
    public static String version() {
        String v = AgentMain.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }

    public static void main(String[] args) throws InterruptedException {
        String path = args.length > 0 ? args[0] : System.getenv("SCANORDER_AGENT_CONFIG");
        if (path == null) {
            System.err.println(
                    "usage: AgentMain <agent.properties> (or set SCANORDER_AGENT_CONFIG)");
            System.exit(2);
        }
        AgentConfig config;
        try {
            config = AgentConfig.load(Path.of(path), System.getenv());
        } catch (AgentConfigException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LOG.log(Level.INFO, "starting " + config);
        AgentMain agent = new AgentMain(config, new PahoTransport(config));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    agent.close();
                                    stopped.countDown();
                                },
                                "scanorder-agent-stop"));
        agent.start();
        stopped.await();
    }
}
