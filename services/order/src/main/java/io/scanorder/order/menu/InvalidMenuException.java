package io.scanorder.order.menu;

import java.util.List;

/** A menu was refused; {@link #errors()} lists every problem, the first one names the message. */
public class InvalidMenuException extends RuntimeException {
    private final List<FieldError> errors;

    public InvalidMenuException(List<FieldError> errors) {
        super(message(errors));
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }

    private static String message(List<FieldError> errors) {
        String first = errors.get(0).toString();
        return errors.size() == 1 ? first : first + " (and " + (errors.size() - 1) + " more)";
    }
}
