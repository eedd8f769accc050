package io.scanorder.broker.enroll;

/**
 * What became of one enrollment attempt.
 *
 * @param outcome granted, or why not
 * @param message for the broker log and the CONNACK reason string: who, and what is wrong
 * @param storeCode the device's store, when granted
 * @param password the device's MQTT password, when granted
 */
public record EnrollmentResult(Outcome outcome, String message, String storeCode, String password) {

    /** Outcomes, each mapped to its own CONNACK reason code so a device can tell them apart. */
    public enum Outcome {
        /** The code was right and is now used up; the password is handed over. */
        GRANTED,
        /** No enrollment for this device, or the code does not match. */
        WRONG_CODE,
        /** The code was right but has been redeemed before. */
        ALREADY_USED,
        /** The code was right but its validity has ended. */
        EXPIRED,
        /** Too many wrong codes for this device recently: refused without checking. */
        LOCKED,
        /** The code was right but the broker cannot hand out a working password yet. */
        NOT_READY
    }

    static EnrollmentResult refused(Outcome outcome, String message) {
        return new EnrollmentResult(outcome, message, null, null);
    }

    public boolean granted() {
        return outcome == Outcome.GRANTED;
    }

    @Override
    public String toString() {
        // never the password
        return "EnrollmentResult[" + outcome + ", " + message + "]";
    }
}
