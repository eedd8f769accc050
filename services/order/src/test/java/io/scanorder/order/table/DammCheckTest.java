package io.scanorder.order.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.CharBuffer;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Proves that the table code's check digit catches every single-digit error and every adjacent
 * transposition: once algebraically over the whole Damm table (which covers codes of any length),
 * and once by brute force over 200,000 concrete 12-digit codes and every such error in them.
 */
class DammCheckTest {

    @Test
    void tableIsALatinSquareWithZeroDiagonal() {
        for (int i = 0; i < 10; i++) {
            Set<Integer> row = new HashSet<>();
            Set<Integer> column = new HashSet<>();
            for (int j = 0; j < 10; j++) {
                row.add(Damm.step(i, j));
                column.add(Damm.step(j, i));
            }
            assertThat(row).as("row %d is a permutation", i).hasSize(10);
            assertThat(column).as("column %d is a permutation", i).hasSize(10);
            assertThat(Damm.step(i, i)).as("diagonal at %d", i).isZero();
        }
    }

    /**
     * Why these checks prove the claim for every code: the check runs a state machine from state 0.
     * A substituted digit at any position starts from the same state and, because each row is a
     * permutation, leaves a different state; because each column is a permutation, equal suffixes
     * keep different states different to the end, so the altered code ends non-zero. For an
     * adjacent swap, weak total anti-symmetry means the states after the pair differ, and the same
     * column argument carries the difference to the end. The check digit itself is the last digit
     * of the code; swapping it with its neighbour is covered because the diagonal is zero.
     */
    @Test
    void tableIsWeaklyTotallyAntiSymmetricFromEveryState() {
        for (int state = 0; state < 10; state++) {
            for (int x = 0; x < 10; x++) {
                for (int y = 0; y < 10; y++) {
                    if (x != y) {
                        assertThat(Damm.step(Damm.step(state, x), y))
                                .as("state %d, digits %d%d vs %d%d", state, x, y, y, x)
                                .isNotEqualTo(Damm.step(Damm.step(state, y), x));
                    }
                }
            }
        }
    }

    @Test
    void everySingleDigitErrorAndAdjacentTranspositionIsCaughtInTwoHundredThousandCodes() {
        Random random = new Random(20261126);
        long substitutions = 0;
        long transpositions = 0;
        for (int store = 0; store < 1000; store++) {
            for (int k = 0; k < 200; k++) {
                // Area 0000..9999 and table 0001..9999, including the edges.
                int area = k == 0 ? 0 : k == 1 ? 9999 : random.nextInt(10_000);
                int table = k == 0 ? 1 : k == 1 ? 9999 : 1 + random.nextInt(9999);
                String digits =
                        TableCode.of(
                                        String.format("%03d", store),
                                        String.format("%04d", area),
                                        table)
                                .digits();
                assertThat(Damm.isValid(digits)).isTrue();
                char[] code = digits.toCharArray();
                for (int i = 0; i < code.length; i++) {
                    char original = code[i];
                    for (char d = '0'; d <= '9'; d++) {
                        if (d != original) {
                            code[i] = d;
                            if (Damm.isValid(CharBuffer.wrap(code))) {
                                throw new AssertionError(
                                        "substitution at "
                                                + i
                                                + " not caught: "
                                                + new String(code));
                            }
                            substitutions++;
                        }
                    }
                    code[i] = original;
                }
                for (int i = 0; i + 1 < code.length; i++) {
                    if (code[i] != code[i + 1]) {
                        swap(code, i);
                        if (Damm.isValid(CharBuffer.wrap(code))) {
                            throw new AssertionError(
                                    "transposition at " + i + " not caught: " + new String(code));
                        }
                        swap(code, i);
                        transpositions++;
                    }
                }
            }
        }
        // 200,000 codes x 12 positions x 9 wrong digits, and most of the 11 neighbour swaps.
        assertThat(substitutions).isEqualTo(200_000L * 12 * 9);
        assertThat(transpositions).isGreaterThan(200_000L * 9);
    }

    @Test
    void mistypedDigitIsRefusedAsCheckDigitErrorNotAsMalformed() {
        String digits = TableCode.of("123", "0001", 12).digits();
        char[] typo = digits.toCharArray();
        typo[8] = typo[8] == '9' ? '8' : (char) (typo[8] + 1);
        assertThatThrownBy(() -> TableCode.parse(new String(typo)))
                .isInstanceOfSatisfying(
                        TableCodeException.class,
                        e ->
                                assertThat(e.reason())
                                        .isEqualTo(TableCodeError.TABLE_CODE_CHECK_DIGIT))
                .hasMessageContaining("mistyped");
    }

    @Test
    void parsingRoundTripsAndSplitsTheParts() {
        TableCode code = TableCode.of("007", "0420", 305);
        TableCode parsed = TableCode.parse(code.digits());
        assertThat(parsed).isEqualTo(code);
        assertThat(parsed.storeCode()).isEqualTo("007");
        assertThat(parsed.areaCode()).isEqualTo("0420");
        assertThat(parsed.tableNo()).isEqualTo("0305");
        assertThat(code.humanReadable()).isEqualTo("007 0420 0305 " + code.checkDigit());
    }

    @Test
    void partsOutsideTheirRangesAreRefusedWithTheField() {
        assertThatThrownBy(() -> TableCode.of("12", "0001", 1)).hasMessageStartingWith("storeCode");
        assertThatThrownBy(() -> TableCode.of("123", "01", 1)).hasMessageStartingWith("areaCode");
        assertThatThrownBy(() -> TableCode.of("123", "0001", 0)).hasMessageStartingWith("tableNo");
        assertThatThrownBy(() -> TableCode.of("123", "0001", 10_000))
                .hasMessageStartingWith("tableNo");
        assertThatThrownBy(() -> TableCode.parse("12345"))
                .isInstanceOfSatisfying(
                        TableCodeException.class,
                        e -> assertThat(e.reason()).isEqualTo(TableCodeError.TABLE_CODE_MALFORMED))
                .hasMessageContaining("12 digits, got 5");
    }

    private static void swap(char[] code, int i) {
        char t = code[i];
        code[i] = code[i + 1];
        code[i + 1] = t;
    }
}
