package io.scanorder.wechatsim.pay.crypto;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/** The handful of ASN.1 DER encodings an X.509 certificate needs. */
final class Der {
    private Der() {}

    static byte[] sequence(byte[]... parts) {
        return tagged(0x30, concat(parts));
    }

    static byte[] set(byte[]... parts) {
        return tagged(0x31, concat(parts));
    }

    static byte[] integer(BigInteger value) {
        return tagged(0x02, value.toByteArray());
    }

    static byte[] nullValue() {
        return new byte[] {0x05, 0x00};
    }

    /** An object identifier given as its already-encoded content bytes. */
    static byte[] oid(int... contentBytes) {
        byte[] content = new byte[contentBytes.length];
        for (int i = 0; i < contentBytes.length; i++) {
            content[i] = (byte) contentBytes[i];
        }
        return tagged(0x06, content);
    }

    static byte[] utf8String(String value) {
        return tagged(0x0C, value.getBytes(StandardCharsets.UTF_8));
    }

    /** UTCTime, {@code yyMMddHHmmssZ}: valid for years 1950 to 2049. */
    static byte[] utcTime(String yyMMddHHmmss) {
        return tagged(0x17, (yyMMddHHmmss + "Z").getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] bitString(byte[] value) {
        byte[] content = new byte[value.length + 1]; // leading byte: no unused bits
        System.arraycopy(value, 0, content, 1, value.length);
        return tagged(0x03, content);
    }

    /** A context-specific, constructed, explicit tag such as {@code [0]}. */
    static byte[] explicit(int tagNumber, byte[] inner) {
        return tagged(0xA0 | tagNumber, inner);
    }

    static byte[] tagged(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length > 0xFFFF ? 3 : length > 0xFF ? 2 : 1;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
