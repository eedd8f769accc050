package io.scanorder.agent.led;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * {@link LedBoardDriver} speaking {@link LedLineProtocol} over TCP: one short connection per
 * update, so a board that was power-cycled is simply reached again next time.
 */
public final class LineProtocolLedBoard implements LedBoardDriver {

    private final String host;
    private final int port;
    private final Duration timeout;

    public LineProtocolLedBoard(String host, int port, Duration timeout) {
        this.host = host;
        this.port = port;
        this.timeout = timeout;
    }

    @Override
    public void show(List<String> numbers) throws LedBoardException {
        String command = LedLineProtocol.show(numbers);
        String reply = exchange(command);
        if (!"OK".equals(reply)) {
            throw new LedBoardException(
                    "LED board " + host + ":" + port + " refused '" + command + "': " + reply);
        }
    }

    /**
     * Checks the board answers the protocol.
     *
     * @throws LedBoardException if it does not
     */
    public void ping() throws LedBoardException {
        String reply = exchange("PING");
        if (!"PONG".equals(reply)) {
            throw new LedBoardException(
                    "LED board " + host + ":" + port + " answered '" + reply + "' to PING");
        }
    }

    private String exchange(String command) throws LedBoardException {
        int ms = (int) timeout.toMillis();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), ms);
            socket.setSoTimeout(ms);
            OutputStream out = socket.getOutputStream();
            out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII));
            String reply = in.readLine();
            if (reply == null) {
                throw new LedBoardException(
                        "LED board " + host + ":" + port + " closed the connection without reply");
            }
            return reply.length() > LedLineProtocol.MAX_LINE
                    ? reply.substring(0, LedLineProtocol.MAX_LINE)
                    : reply;
        } catch (IOException e) {
            throw new LedBoardException(
                    "LED board " + host + ":" + port + " unreachable: " + e.getMessage(), e);
        }
    }
}
