package io.scanorder.order.placement;

import io.scanorder.order.state.Actor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 over everything that makes two placement requests "the same": who, which table, lines,
 * remark and party size. Stored with the order, so a reused idempotency key with another body is
 * refused also when Redis is down; including the actor keeps one diner from reading another's order
 * by guessing its key.
 */
final class RequestFingerprint {
    private RequestFingerprint() {}

    static String of(
            Actor placedBy,
            String tableCode,
            List<PlaceOrderCommand.Line> lines,
            String remark,
            int partySize) {
        StringBuilder b = new StringBuilder("scanorder-place-v1\n");
        field(b, placedBy.kind().name());
        field(b, placedBy.id());
        field(b, tableCode);
        field(b, Integer.toString(partySize));
        field(b, remark);
        for (PlaceOrderCommand.Line l : lines) {
            field(b, l.skuCode());
            field(b, Integer.toString(l.quantity()));
            field(b, l.note());
        }
        try {
            byte[] digest =
                    MessageDigest.getInstance("SHA-256")
                            .digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** Length-prefixed, so no choice of field values can make two different requests collide. */
    private static void field(StringBuilder b, String value) {
        String v = value == null ? "" : value;
        b.append(v.length()).append(':').append(v).append('\n');
    }
}
