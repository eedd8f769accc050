package io.scanorder.order.placement;

/** An order cannot be placed as asked; {@link #reason()} says why, the message says where. */
public class PlacementRefusedException extends RuntimeException {

    /** Why a placement was refused, with the HTTP status the diner API answers with. */
    public enum Reason {
        /** A field is missing or out of bounds; the message names its path. */
        INVALID_REQUEST(400),
        /** A line's SKU is not on the store's current menu. */
        SKU_UNKNOWN(422),
        /** A line's SKU is on the menu but sold out. */
        SKU_SOLD_OUT(409),
        /** The store has no published menu, so nothing can be priced. */
        MENU_UNAVAILABLE(409),
        /** The idempotency key was already used for a different request. */
        IDEMPOTENCY_KEY_REUSED(409);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        /** The HTTP status of a refusal for this reason. */
        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public PlacementRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
