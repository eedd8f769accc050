package io.scanorder.wechatsim.pay.notify;

import io.scanorder.wechatsim.pay.Merchant;

/**
 * A notification ready to send: the JSON body with its encrypted {@code resource} is fixed once;
 * each delivery attempt signs it afresh.
 */
public record OutgoingNotification(
        String id, Merchant merchant, String url, String eventType, String subject, String body) {}
