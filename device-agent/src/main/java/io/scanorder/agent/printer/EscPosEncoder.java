package io.scanorder.agent.printer;

import io.scanorder.agent.printer.TicketLayout.PrintLine;
import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.util.List;

/**
 * Turns laid-out lines into ESC/POS bytes: initialise (ESC @), Chinese double-byte mode (FS &amp;)
 * so GB18030 text prints as Chinese, per line size (GS !) and emphasis (ESC E), LF, then feed and
 * partial cut (GS V 66), or for a printer without a cutter a feed to the tear bar (ESC d). One call
 * per copy; each copy is cut separately.
 */
final class EscPosEncoder {

    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final int ESC = 0x1B;
    private static final int GS = 0x1D;
    private static final int FS = 0x1C;

    /** Lines fed past the cutter so the last printed line is not cut off. */
    private static final int FEED_BEFORE_CUT = 3;

    /** Lines fed after a copy on a printer without a cutter, so it can be torn off whole. */
    private static final int FEED_TO_TEAR_BAR = 4;

    private EscPosEncoder() {}

    static byte[] encode(List<PrintLine> lines) {
        return encode(lines, true);
    }

    static byte[] encode(List<PrintLine> lines, boolean cut) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + lines.size() * 52);
        out.writeBytes(new byte[] {ESC, '@', FS, '&'});
        for (PrintLine line : lines) {
            int size =
                    switch (line.style()) {
                        case LARGE -> 0x11;
                        case NORMAL, BOLD -> 0x00;
                    };
            boolean bold = line.style() != TicketLayout.Style.NORMAL;
            out.writeBytes(new byte[] {GS, '!', (byte) size, ESC, 'E', (byte) (bold ? 1 : 0)});
            out.writeBytes(line.text().getBytes(GB18030));
            out.write('\n');
        }
        out.writeBytes(new byte[] {GS, '!', 0, ESC, 'E', 0});
        if (cut) {
            out.writeBytes(new byte[] {GS, 'V', 66, FEED_BEFORE_CUT});
        } else {
            out.writeBytes(new byte[] {ESC, 'd', FEED_TO_TEAR_BAR});
        }
        return out.toByteArray();
    }
}
