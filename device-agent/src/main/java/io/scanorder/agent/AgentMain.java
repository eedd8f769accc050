package io.scanorder.agent;

import io.scanorder.agent.config.AgentConfig;
import io.scanorder.agent.heartbeat.DeviceHealth;
import io.scanorder.agent.heartbeat.Heartbeat;
import io.scanorder.agent.transport.Transport;
import io.scanorder.agent.transport.TransportException;
import java.lang.System.Logger.Level;
import java.time.Clock;

/**
 * Runs a device that has no driver yet (kds-tablet, led-board): status and heartbeats only.
 * Printers run {@link io.scanorder.agent.app.AgentApplication}; both are started by {@link
 * AgentCli}.
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

    /** Same as {@code AgentCli run --config <file>}; kept for existing service definitions. */
    public static void main(String[] args) {
        String[] cli =
                args.length > 0 ? new String[] {"run", "--config", args[0]} : new String[] {"run"};
        AgentCli.main(cli);
    }
}
