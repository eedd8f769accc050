package io.scanorder.order.table;

/**
 * What {@link TableRegistry#register} changed.
 *
 * @param created tables added
 * @param updated tables whose seats changed or that were enabled again
 * @param disabled tables no longer in the spec, now disabled
 * @param unchanged tables already as desired
 * @param keyVersion the store's current signing key version
 */
public record RegistrationResult(
        int created, int updated, int disabled, int unchanged, int keyVersion) {}
