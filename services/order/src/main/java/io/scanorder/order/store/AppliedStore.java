package io.scanorder.order.store;

import java.time.Instant;

/**
 * What the service holds for a store.
 *
 * @param contentHash hash of the content last applied
 * @param content that content, canonical
 * @param appliedAt when it was applied
 * @param enabledTables tables in service now
 */
public record AppliedStore(
        String contentHash, StoreContent content, Instant appliedAt, int enabledTables) {}
