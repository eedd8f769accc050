package io.scanorder.agent.transport;

/**
 * The broker answered an enrollment attempt and said no; {@link #reason()} says why in terms a
 * field technician can act on.
 */
public final class EnrollmentRefusedException extends TransportException {

    /** Why the broker refused, from the CONNACK reason code its extension chose. */
    public enum Reason {
        /** 0x86: the code does not match, or the broker knows no such device. */
        WRONG_CODE,
        /** 0x87: the code was redeemed before (or enrollment is off on this broker). */
        ALREADY_USED,
        /** 0x83: the code's validity has ended. */
        EXPIRED,
        /** 0x9F: too many wrong codes for this device; locked for 15 minutes. */
        LOCKED,
        /** 0x88: the broker does not hold the device's credential yet. */
        NOT_READY,
        /** Any other reason code. */
        OTHER;

        /** The reason for an MQTT 5 CONNACK reason code. */
        public static Reason of(int reasonCode) {
            return switch (reasonCode) {
                case 0x86 -> WRONG_CODE;
                case 0x87 -> ALREADY_USED;
                case 0x83 -> EXPIRED;
                case 0x9F -> LOCKED;
                case 0x88 -> NOT_READY;
                default -> OTHER;
            };
        }
    }

    private final Reason reason;
    private final int reasonCode;

    public EnrollmentRefusedException(String message, int reasonCode, Throwable cause) {
        super(message, cause);
        this.reason = Reason.of(reasonCode);
        this.reasonCode = reasonCode;
    }

    public Reason reason() {
        return reason;
    }

    public int reasonCode() {
        return reasonCode;
    }
}
