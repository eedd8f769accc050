package io.scanorder.agent.printer;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * Measures and cuts text in printer character cells. A character the printer receives as more than
 * one GB18030 byte (Chinese, full-width punctuation, also symbols such as '×') prints double width;
 * ASCII prints single width.
 */
final class TextColumns {

    private static final Charset GB18030 = Charset.forName("GB18030");

    private TextColumns() {}

    static int width(int codePoint) {
        if (codePoint < 0x80) {
            return 1;
        }
        return Character.toString(codePoint).getBytes(GB18030).length > 1 ? 2 : 1;
    }

    static int width(String text) {
        return text.codePoints().map(TextColumns::width).sum();
    }

    /** Control characters would be executed by the printer: a dish name must never cut paper. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints()
                .forEach(
                        cp -> {
                            if (Character.isISOControl(cp)) {
                                out.append(' ');
                            } else {
                                out.appendCodePoint(cp);
                            }
                        });
        return out.toString();
    }

    /** Cuts {@code text} into pieces of at most {@code columns} cells; never returns empty. */
    static List<String> wrap(String text, int columns) {
        if (columns < 2) {
            throw new IllegalArgumentException("need at least 2 columns but got " + columns);
        }
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        int used = 0;
        for (int cp : text.codePoints().toArray()) {
            int w = width(cp);
            if (used + w > columns) {
                pieces.add(piece.toString());
                piece.setLength(0);
                used = 0;
            }
            piece.appendCodePoint(cp);
            used += w;
        }
        pieces.add(piece.toString());
        return pieces;
    }

    /** {@code left} padded with spaces so that {@code right} ends exactly at {@code columns}. */
    static String leftRight(String left, String right, int columns) {
        int gap = columns - width(left) - width(right);
        if (gap < 1) {
            throw new IllegalArgumentException(
                    "'" + left + "' and '" + right + "' do not fit in " + columns + " columns");
        }
        return left + " ".repeat(gap) + right;
    }
}
