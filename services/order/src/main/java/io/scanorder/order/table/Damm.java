package io.scanorder.order.table;

/**
 * Damm check digit. Its table is a weakly totally anti-symmetric quasigroup of order 10 with a zero
 * diagonal, so the check catches every single-digit substitution and every transposition of two
 * adjacent digits (DammCheckTest proves both over the whole table and over many codes).
 */
final class Damm {
    private static final int[][] TABLE = {
        {0, 3, 1, 7, 5, 9, 8, 6, 4, 2},
        {7, 0, 9, 2, 1, 5, 4, 8, 6, 3},
        {4, 2, 0, 6, 8, 7, 1, 3, 5, 9},
        {1, 7, 5, 0, 9, 8, 3, 4, 2, 6},
        {6, 1, 2, 3, 0, 4, 5, 9, 7, 8},
        {3, 6, 7, 4, 2, 0, 9, 5, 8, 1},
        {5, 8, 6, 9, 7, 2, 0, 1, 3, 4},
        {8, 9, 4, 5, 3, 6, 2, 0, 1, 7},
        {9, 4, 3, 8, 6, 1, 7, 2, 0, 5},
        {2, 5, 8, 1, 4, 3, 6, 7, 9, 0}
    };

    private Damm() {}

    /** The interim digit after {@code digit} is folded into {@code state}. */
    static int step(int state, int digit) {
        return TABLE[state][digit];
    }

    /** The check digit to append to {@code digits} (ASCII digits only). */
    static int checkDigit(CharSequence digits) {
        int state = 0;
        for (int i = 0; i < digits.length(); i++) {
            state = TABLE[state][digits.charAt(i) - '0'];
        }
        return state;
    }

    static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** Whether {@code digits}, ending in its check digit, passes: the interim digit is zero. */
    static boolean isValid(CharSequence digits) {
        return checkDigit(digits) == 0;
    }
}
