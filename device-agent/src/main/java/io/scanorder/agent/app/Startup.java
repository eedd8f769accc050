package io.scanorder.agent.app;

import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.Transport;
import io.scanorder.agent.transport.TransportException;
import java.lang.System.Logger.Level;

/** Connecting and subscribing with back-off, shared by the device applications. */
final class Startup {

    private static final System.Logger LOG = System.getLogger(Startup.class.getName());

    private Startup() {}

    /** Connects, retrying with back-off (0.5 s doubling to 30 s) until the broker answers. */
    static void connect(Transport transport) throws InterruptedException {
        long delayMs = 500;
        while (true) {
            try {
                transport.connect();
                return;
            } catch (TransportException e) {
                LOG.log(Level.WARNING, e.getMessage() + "; retrying in " + delayMs + " ms");
                Thread.sleep(delayMs);
                delayMs = Math.min(delayMs * 2, 30_000);
            }
        }
    }

    /** Subscribes, retrying every second; the transport re-subscribes after reconnections. */
    static void subscribe(
            Transport transport, DeviceChannel channel, Transport.MessageHandler handler)
            throws InterruptedException {
        while (true) {
            try {
                transport.subscribe(channel, handler);
                return;
            } catch (TransportException e) {
                LOG.log(Level.WARNING, e.getMessage() + "; retrying in 1000 ms");
                Thread.sleep(1_000);
            }
        }
    }
}
