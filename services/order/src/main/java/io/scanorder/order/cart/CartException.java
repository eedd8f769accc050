package io.scanorder.order.cart;

import io.scanorder.order.diner.DinerApiException;

/**
 * A refused cart request. It is a {@link DinerApiException}, so the diner API answers it as JSON
 * {@code {"reason", "message"}} with its status, like every other diner refusal.
 */
public class CartException extends DinerApiException {

    public CartException(int status, String reason, String message) {
        super(status, reason, message);
    }

    public CartException(
            int status, String reason, String message, long retryAfterSeconds, Throwable cause) {
        super(status, reason, message, retryAfterSeconds, cause);
    }

    /** Redis, which holds the carts, cannot be reached. */
    static CartException unavailable(Throwable cause) {
        return new CartException(
                503,
                "CART_UNAVAILABLE",
                "the shared table cart is unavailable right now (its store, Redis, cannot be"
                        + " reached); ordering directly still works: place the order from your own"
                        + " phone without the cart, or retry the cart in a few seconds",
                5,
                cause);
    }
}
