package io.scanorder.order.table;

/**
 * Why a scanned table code was refused. Each reason is returned to the diner's mini-program as
 * {@code reason} with an HTTP status, so the client can tell "rescan" from "ask the staff".
 */
public enum TableCodeError {
    /** Wrong length, a character outside the scene alphabet, or a missing separator. */
    TABLE_CODE_MALFORMED(400),
    /** The 12 digits fail the Damm check: a digit was mistyped, misread or two were swapped. */
    TABLE_CODE_CHECK_DIGIT(400),
    /** The signature does not match: the code was altered or forged. */
    TABLE_CODE_SIGNATURE(403),
    /** Signed with a key that is neither the store's current nor its previous key. */
    TABLE_CODE_KEY_RETIRED(403),
    /** No store has this store code. */
    STORE_UNKNOWN(404),
    /** The store has no area with this code. */
    AREA_UNKNOWN(404),
    /** The area has no table with this number. */
    TABLE_UNKNOWN(404),
    /** The table exists but was taken out of service. */
    TABLE_DISABLED(410);

    private final int httpStatus;

    TableCodeError(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    /** The HTTP status the diner API answers with. */
    public int httpStatus() {
        return httpStatus;
    }
}
