package io.scanorder.order.menu;

import java.time.Instant;

/** A published menu revision as stored: never changed once written. */
public record StoredMenu(
        String storeCode, String revisionHash, Menu menu, Instant publishedAt, boolean current) {}
