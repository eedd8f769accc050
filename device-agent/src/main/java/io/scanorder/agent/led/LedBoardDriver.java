package io.scanorder.agent.led;

import java.util.List;

/**
 * A pickup-number LED board as the agent's application sees it: no sockets, no wire format. Methods
 * block for at most the driver's timeouts.
 */
public interface LedBoardDriver {

    /**
     * Replaces what the board shows with {@code numbers} (empty clears it).
     *
     * @throws LedBoardException if the board cannot be reached or refuses the command
     */
    void show(List<String> numbers) throws LedBoardException;
}
