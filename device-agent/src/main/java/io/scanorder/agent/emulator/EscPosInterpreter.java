package io.scanorder.agent.emulator;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Executes the ESC/POS subset a kitchen ticket needs, from one connection, one byte at a time:
 * ESC @, ESC ! n, GS ! n, ESC E n, ESC a n, ESC d n, FS &amp; / FS . (Chinese double-byte mode),
 * LF, CR, GS V (cut) and the real-time DLE EOT n status request. A feed of 4 or more lines (ESC d)
 * after printed lines ends a receipt like a cut does, as tearing it off on a printer without a
 * cutter. Anything else is recorded as a protocol error and skipped.
 *
 * <p>Text is decoded as GB18030 in Chinese mode (a multi-byte character prints double width) and as
 * single bytes otherwise, so Chinese sent without FS &amp; comes out as garbage, as on a real
 * printer. A line wider than the paper wraps to the next line.
 */
final class EscPosInterpreter {

    /** Where rendered output goes. */
    interface Sink {
        /** Feed that brings the last printed line past the tear bar. */
        int TEAR_FEED_LINES = 4;

        void line(RenderedLine line);

        void cut();

        /**
         * The paper was fed past the tear bar (ESC d n, n &ge; {@value #TEAR_FEED_LINES}) after
         * printed lines: on a printer without a cutter this ends a receipt.
         */
        void tornOff();

        void protocolError(String error);
    }

    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final int ESC = 0x1B;
    private static final int GS = 0x1D;
    private static final int FS = 0x1C;
    private static final int DLE = 0x10;
    private static final int EOT = 0x04;

    private final InputStream in;
    private final OutputStream out;
    private final PrinterState state;
    private final int columns;
    private final Sink sink;
    private final Pacer pacer;
    private long offset;

    private boolean bold;
    private int widthScale = 1;
    private int heightScale = 1;
    private boolean chineseMode;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean lineBold;
    private int lineWidthScale = 1;
    private int lineHeightScale = 1;

    /** Called once per printed line so the emulator can be slow on purpose. */
    interface Pacer {
        void linePrinted() throws InterruptedException;
    }

    EscPosInterpreter(
            InputStream in,
            OutputStream out,
            PrinterState state,
            int columns,
            Sink sink,
            Pacer pacer) {
        this.in = in;
        this.out = out;
        this.state = state;
        this.columns = columns;
        this.sink = sink;
        this.pacer = pacer;
    }

    /** Runs until the peer closes the connection. */
    void run() throws IOException, InterruptedException {
        int b;
        while ((b = in.read()) != -1) {
            offset++;
            switch (b) {
                case DLE -> realTime();
                case ESC -> escape();
                case GS -> groupSeparator();
                case FS -> fileSeparator();
                case '\n' -> endLine();
                case '\r' -> {
                    // LF alone ends a line on this printer
                }
                default -> {
                    if (b < 0x20 || b == 0x7F) {
                        error(String.format("unsupported control byte 0x%02X", b));
                    } else {
                        text(b);
                    }
                }
            }
        }
        if (line.size() > 0) {
            // unterminated text stays in the print buffer, as on a real printer
            sink.protocolError("connection closed with an unterminated line in the buffer");
        }
    }

    private int param() throws IOException {
        int b = in.read();
        if (b == -1) {
            throw new EOFException("connection closed inside a command");
        }
        offset++;
        return b;
    }

    private void realTime() throws IOException {
        int c = param();
        if (c != EOT) {
            error(String.format("unsupported real-time command DLE 0x%02X", c));
            return;
        }
        int n = param();
        int status = state.statusByte(n);
        if (status < 0) {
            error("unsupported DLE EOT " + n);
            return;
        }
        out.write(status);
        out.flush();
    }

    private void escape() throws IOException, InterruptedException {
        int c = param();
        switch (c) {
            case '@' -> {
                bold = false;
                widthScale = 1;
                heightScale = 1;
                chineseMode = false;
                line.reset();
            }
            case '!' -> {
                int n = param();
                bold = (n & 0x08) != 0;
                heightScale = (n & 0x10) != 0 ? 2 : 1;
                widthScale = (n & 0x20) != 0 ? 2 : 1;
            }
            case 'E' -> bold = (param() & 0x01) != 0;
            case 'a' -> param(); // alignment: the driver pads lines itself
            case 'd' -> {
                int n = param();
                // prints what is buffered, then feeds n blank lines
                if (line.size() > 0) {
                    endLine();
                }
                if (n >= Sink.TEAR_FEED_LINES) {
                    if (state.canPrint()) {
                        sink.tornOff();
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        endLine();
                    }
                }
            }
            default -> error(String.format("unsupported command ESC 0x%02X", c));
        }
    }

    private void groupSeparator() throws IOException {
        int c = param();
        switch (c) {
            case '!' -> {
                int n = param();
                widthScale = ((n >> 4) & 0x07) + 1;
                heightScale = (n & 0x07) + 1;
            }
            case 'V' -> {
                int m = param();
                if (m == 65 || m == 66) {
                    param(); // feed amount before the cut
                } else if (m != 0 && m != 1 && m != 48 && m != 49) {
                    error("unsupported cut mode GS V " + m);
                    return;
                }
                if (line.size() > 0) {
                    error("cut with an unterminated line in the buffer");
                    line.reset();
                }
                if (state.canPrint()) {
                    sink.cut();
                }
            }
            default -> error(String.format("unsupported command GS 0x%02X", c));
        }
    }

    private void fileSeparator() throws IOException {
        int c = param();
        switch (c) {
            case '&' -> chineseMode = true;
            case '.' -> chineseMode = false;
            default -> error(String.format("unsupported command FS 0x%02X", c));
        }
    }

    private void text(int b) {
        if (line.size() == 0) {
            lineBold = bold;
            lineWidthScale = widthScale;
            lineHeightScale = heightScale;
        }
        line.write(b);
    }

    private void endLine() throws InterruptedException {
        byte[] bytes = line.toByteArray();
        line.reset();
        for (RenderedLine rendered : wrap(bytes)) {
            if (!state.consumeLine()) {
                return; // no paper or cover open: nothing reaches the paper
            }
            sink.line(rendered);
            pacer.linePrinted();
        }
    }

    /** Splits into characters by their encoded length and wraps at the paper width. */
    private List<RenderedLine> wrap(byte[] bytes) {
        List<RenderedLine> lines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int used = 0;
        int i = 0;
        while (i < bytes.length) {
            int length = chineseMode ? gb18030Length(bytes, i) : 1;
            String ch =
                    chineseMode
                            ? new String(bytes, i, length, GB18030)
                            : new String(bytes, i, 1, StandardCharsets.ISO_8859_1);
            int cells = (length == 1 ? 1 : 2) * lineWidthScale;
            if (used + cells > columns) {
                lines.add(rendered(text.toString(), used));
                text.setLength(0);
                used = 0;
            }
            text.append(ch);
            used += cells;
            i += length;
        }
        lines.add(rendered(text.toString(), used));
        return lines;
    }

    private RenderedLine rendered(String text, int used) {
        return new RenderedLine(text, used, lineBold, lineWidthScale, lineHeightScale);
    }

    /** GB18030: 1 byte below 0x81, else 4 bytes if the second byte is a digit, else 2. */
    private static int gb18030Length(byte[] bytes, int i) {
        int lead = bytes[i] & 0xFF;
        if (lead < 0x81 || lead == 0xFF || i + 1 >= bytes.length) {
            return 1;
        }
        int second = bytes[i + 1] & 0xFF;
        if (second >= 0x30 && second <= 0x39) {
            return Math.min(4, bytes.length - i);
        }
        return 2;
    }

    private void error(String message) {
        sink.protocolError(message + " at byte " + offset);
    }
}
