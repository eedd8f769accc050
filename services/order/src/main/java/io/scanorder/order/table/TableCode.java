package io.scanorder.order.table;

/**
 * The 12-digit number of a dining table: 3-digit store code, 4-digit area code, 4-digit table
 * number and a Damm check digit, e.g. {@code 123 0001 0012 c}. The number alone identifies a table
 * and catches typing errors; it is not a secret, so a {@link TableScene} adds a keyed signature.
 *
 * @param storeCode three digits
 * @param areaCode four digits
 * @param tableNo four digits, 0001..9999
 */
public record TableCode(String storeCode, String areaCode, String tableNo) {
    /** Number of digits of a full table code, including the check digit. */
    public static final int LENGTH = 12;

    public TableCode {
        requireDigits("storeCode", storeCode, 3);
        requireDigits("areaCode", areaCode, 4);
        requireDigits("tableNo", tableNo, 4);
        if (tableNo.equals("0000")) {
            throw new IllegalArgumentException("tableNo: table numbers start at 0001, got 0000");
        }
    }

    /** A code from numeric parts; table numbers 1..9999 are zero-padded to four digits. */
    public static TableCode of(String storeCode, String areaCode, int tableNo) {
        if (tableNo < 1 || tableNo > 9999) {
            throw new IllegalArgumentException(
                    "tableNo: table number must be within 1..9999, got " + tableNo);
        }
        return new TableCode(storeCode, areaCode, String.format("%04d", tableNo));
    }

    /**
     * Parses a full 12-digit code.
     *
     * @throws TableCodeException {@code TABLE_CODE_MALFORMED} if it is not 12 ASCII digits, {@code
     *     TABLE_CODE_CHECK_DIGIT} if the check digit does not match (a mistyped or misread digit or
     *     two swapped neighbours)
     */
    public static TableCode parse(String digits) {
        if (digits == null || digits.length() != LENGTH) {
            throw new TableCodeException(
                    TableCodeError.TABLE_CODE_MALFORMED,
                    "table code must have "
                            + LENGTH
                            + " digits, got "
                            + (digits == null ? "none" : digits.length()));
        }
        for (int i = 0; i < LENGTH; i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                throw new TableCodeException(
                        TableCodeError.TABLE_CODE_MALFORMED,
                        "table code character " + (i + 1) + " is not a digit");
            }
        }
        if (!Damm.isValid(digits)) {
            throw new TableCodeException(
                    TableCodeError.TABLE_CODE_CHECK_DIGIT,
                    "check digit of table code "
                            + digits
                            + " does not match: a digit was probably mistyped or misread");
        }
        String tableNo = digits.substring(7, 11);
        if (tableNo.equals("0000")) {
            throw new TableCodeException(
                    TableCodeError.TABLE_CODE_MALFORMED,
                    "table code " + digits + " has table number 0000; numbers start at 0001");
        }
        return new TableCode(digits.substring(0, 3), digits.substring(3, 7), tableNo);
    }

    /** The check digit of this code. */
    public int checkDigit() {
        return Damm.checkDigit(storeCode + areaCode + tableNo);
    }

    /** The 12 digits: store, area, table and check digit. */
    public String digits() {
        return storeCode + areaCode + tableNo + checkDigit();
    }

    /** The digits grouped for people to read and type: {@code 123 0001 0012 7}. */
    public String humanReadable() {
        return storeCode + " " + areaCode + " " + tableNo + " " + checkDigit();
    }

    @Override
    public String toString() {
        return digits();
    }

    private static void requireDigits(String field, String value, int length) {
        if (value == null || value.length() != length || !value.chars().allMatch(Damm::isDigit)) {
            throw new IllegalArgumentException(
                    field + ": must be exactly " + length + " digits, got '" + value + "'");
        }
    }
}
