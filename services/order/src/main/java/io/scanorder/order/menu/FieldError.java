package io.scanorder.order.menu;

/**
 * One problem in a published menu: the field path as in the proto request (e.g. {@code
 * menu.items[3].skus[0].price_fen}) and what is wrong with it.
 */
public record FieldError(String field, String description) {
    @Override
    public String toString() {
        return field + " " + description;
    }
}
