package io.scanorder.agent.printer;

import java.util.Objects;

/**
 * How a printer driver prints the next tickets (the pushed device config's printer options).
 *
 * @param width paper width the layout is made for
 * @param copies copies of each ticket, 1..5; overrides the copies a ticket asks for
 * @param cut whether to cut after each copy; without a cutter the paper is fed to the tear bar
 */
public record PrintOptions(PaperWidth width, int copies, boolean cut) {
    public PrintOptions {
        Objects.requireNonNull(width, "width");
        if (copies < 1 || copies > 5) {
            throw new IllegalArgumentException("copies must be 1..5 but was " + copies);
        }
    }
}
