package io.scanorder.wechatsim.pay.notify;

/** Ways to forge a notification, for testing that the merchant refuses it. */
public enum Forgery {
    /** Signed by a key that is not the platform's. */
    BAD_SIGNATURE,
    /** A byte of the encrypted resource flipped after encryption, then correctly signed. */
    TAMPERED_CIPHERTEXT,
    /** Correctly signed but naming an unknown serial in {@code Wechatpay-Serial}. */
    UNKNOWN_SERIAL,
    /** Correctly signed, but the signature timestamp is an hour old (a replay). */
    STALE_TIMESTAMP
}
