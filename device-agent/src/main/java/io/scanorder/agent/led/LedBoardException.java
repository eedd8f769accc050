package io.scanorder.agent.led;

/** The LED board could not be reached or refused a command; the message says which. */
public class LedBoardException extends Exception {
    public LedBoardException(String message) {
        super(message);
    }

    public LedBoardException(String message, Throwable cause) {
        super(message, cause);
    }
}
