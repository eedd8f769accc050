package io.scanorder.agent.printer;

/** Receipt paper widths and how many normal-size (Font A, 12-dot) characters fit on a line. */
public enum PaperWidth {
    MM58(58, 32),
    MM80(80, 48);

    private final int millimetres;
    private final int columns;

    PaperWidth(int millimetres, int columns) {
        this.millimetres = millimetres;
        this.columns = columns;
    }

    public int millimetres() {
        return millimetres;
    }

    /** Single-width character cells per line; a Chinese character takes two. */
    public int columns() {
        return columns;
    }

    /** The width for 58 or 80. */
    public static PaperWidth ofMillimetres(int mm) {
        for (PaperWidth w : values()) {
            if (w.millimetres == mm) {
                return w;
            }
        }
        throw new IllegalArgumentException("paper width must be 58 or 80 mm but was " + mm);
    }
}
