package io.scanorder.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds TCP ports on the loopback interface that are free right now. */
public final class FreePorts {
    private FreePorts() {}

    /**
     * Returns a port that nothing listens on at 127.0.0.1 at the time of the call. Another process
     * may still grab it before the caller binds; callers that can fail on a taken port retry.
     */
    public static int loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free TCP port on 127.0.0.1", e);
        }
    }
}
