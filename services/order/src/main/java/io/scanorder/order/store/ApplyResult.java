package io.scanorder.order.store;

/**
 * What one {@link StoreAdmin#apply} did.
 *
 * @param contentHash hash of the content now in force
 * @param alreadyApplied true when the store held this content and nothing was written
 * @param created tables added
 * @param updated tables whose seats changed or that were enabled again
 * @param disabled tables no longer listed, now disabled
 * @param enabledTables tables in service after the apply
 */
public record ApplyResult(
        String contentHash,
        boolean alreadyApplied,
        int created,
        int updated,
        int disabled,
        int enabledTables) {}
