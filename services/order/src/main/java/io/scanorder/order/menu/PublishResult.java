package io.scanorder.order.menu;

/** Outcome of publishing a menu: the revision now in force and whether it existed before. */
public record PublishResult(String revisionHash, boolean alreadyPublished, int itemCount) {}
