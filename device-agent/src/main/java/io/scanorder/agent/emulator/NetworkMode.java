package io.scanorder.agent.emulator;

/** How the emulated printer behaves on the network. */
public enum NetworkMode {
    /** Accepts connections and answers. */
    ONLINE,
    /** Port closed: new connections are refused, open ones are reset. */
    REFUSING,
    /**
     * Connections still open at TCP level but nothing is read or answered, like a printer whose
     * firmware hung; clients only notice through their timeouts.
     */
    SILENT
}
