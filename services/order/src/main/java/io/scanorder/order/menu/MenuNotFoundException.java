package io.scanorder.order.menu;

/** The store is unknown, has no published menu, or the requested revision does not exist. */
public class MenuNotFoundException extends RuntimeException {
    public MenuNotFoundException(String message) {
        super(message);
    }
}
