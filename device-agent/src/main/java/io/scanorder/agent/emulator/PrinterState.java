package io.scanorder.agent.emulator;

/**
 * The emulated hardware state and the real-time status bytes it reports (Epson ESC/POS, DLE EOT n).
 * Every status byte has the fixed pattern 0xx1xx10: bits 1 and 4 set, bits 0 and 7 clear.
 */
final class PrinterState {

    private static final int FIXED = 0b0001_0010;

    private boolean paperLow;
    private boolean paperOut;
    private boolean coverOpen;
    private int linesUntilPaperOut = -1;

    synchronized void paperLow(boolean low) {
        paperLow = low;
    }

    synchronized void paperOut(boolean out) {
        paperOut = out;
        if (!out) {
            linesUntilPaperOut = -1;
        }
    }

    synchronized void coverOpen(boolean open) {
        coverOpen = open;
    }

    synchronized void runOutOfPaperAfter(int lines) {
        linesUntilPaperOut = lines;
    }

    /** Printing stops while the cover is open or the paper has ended. */
    synchronized boolean canPrint() {
        return !paperOut && !coverOpen;
    }

    /** Uses paper for one line; false if nothing could be printed. */
    synchronized boolean consumeLine() {
        if (!canPrint()) {
            return false;
        }
        if (linesUntilPaperOut == 0) {
            paperOut = true;
            return false;
        }
        if (linesUntilPaperOut > 0) {
            linesUntilPaperOut--;
        }
        return true;
    }

    /**
     * The answer to DLE EOT n, or -1 for an n this emulator does not implement (a real printer
     * ignores those too).
     */
    synchronized int statusByte(int n) {
        return switch (n) {
            // printer status: bit 3 offline
            case 1 -> FIXED | (canPrint() ? 0 : 0b0000_1000);
            // offline cause: bit 2 cover open, bit 5 printing stopped by paper end
            case 2 -> FIXED | (coverOpen ? 0b0000_0100 : 0) | (paperOut ? 0b0010_0000 : 0);
            // error cause: no cutter, mechanical or recoverable errors are emulated
            case 3 -> FIXED;
            // roll paper sensor: bits 2-3 near-end, bits 5-6 end (an empty roll is also
            // "near end" to the near-end sensor)
            case 4 ->
                    FIXED | (paperLow || paperOut ? 0b0000_1100 : 0) | (paperOut ? 0b0110_0000 : 0);
            default -> -1;
        };
    }
}
