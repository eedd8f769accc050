package io.scanorder.agent.led;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The LED board's line protocol over TCP (default port {@value #DEFAULT_PORT}), ASCII lines ending
 * in {@code \n}; every command gets exactly one reply line.
 *
 * <pre>
 * SHOW 0042,0043,A7   -> OK      replace the shown pickup numbers (comma-separated, in order)
 * SHOW                -> OK      clear the board
 * PING                -> PONG    liveness check
 * anything else       -> ERR &lt;why&gt;
 * </pre>
 *
 * A number is 1..{@value #MAX_NUMBER_LENGTH} ASCII letters or digits; at most {@value #MAX_NUMBERS}
 * numbers; a line is at most {@value #MAX_LINE} bytes.
 */
public final class LedLineProtocol {

    public static final int DEFAULT_PORT = 9200;
    public static final int MAX_NUMBERS = 20;
    public static final int MAX_NUMBER_LENGTH = 8;
    public static final int MAX_LINE = 256;

    static final Pattern NUMBER = Pattern.compile("[A-Za-z0-9]{1," + MAX_NUMBER_LENGTH + "}");

    private LedLineProtocol() {}

    /** The command line (without newline) that shows {@code numbers}. */
    public static String show(List<String> numbers) {
        check(numbers);
        return numbers.isEmpty() ? "SHOW" : "SHOW " + String.join(",", numbers);
    }

    /**
     * Parses the numbers of a {@code SHOW} command's argument.
     *
     * @throws IllegalArgumentException naming the bad number
     */
    public static List<String> parseNumbers(String argument) {
        List<String> numbers = argument.isEmpty() ? List.of() : List.of(argument.split(",", -1));
        check(numbers);
        return numbers;
    }

    /**
     * @throws IllegalArgumentException if {@code numbers} cannot be shown
     */
    public static void check(List<String> numbers) {
        if (numbers.size() > MAX_NUMBERS) {
            throw new IllegalArgumentException(
                    "at most " + MAX_NUMBERS + " numbers but got " + numbers.size());
        }
        for (int i = 0; i < numbers.size(); i++) {
            if (!NUMBER.matcher(numbers.get(i)).matches()) {
                throw new IllegalArgumentException(
                        "number ["
                                + i
                                + "] must be 1-"
                                + MAX_NUMBER_LENGTH
                                + " letters or digits but was '"
                                + numbers.get(i)
                                + "'");
            }
        }
    }
}
