package io.scanorder.order.diner;

import java.time.Instant;

/**
 * An authenticated diner as the API shows it: never the WeChat session key.
 *
 * @param openid the diner's openid in the mini program
 * @param tableScene the table QR scene given at login, or null
 * @param expiresAt when the token stops working
 * @param stateless true for a signed token handed out while Redis was down (degraded)
 */
public record DinerSession(
        String openid, String tableScene, Instant expiresAt, boolean stateless) {}
