package io.scanorder.wechatsim.miniprogram;

import java.util.Objects;

/** A mini program registered with the simulator: its AppID and AppSecret. */
public record MiniApp(String appId, String secret) {
    public MiniApp {
        requireToken("appId", appId);
        requireToken("secret", secret);
    }

    private static void requireToken(String field, String value) {
        Objects.requireNonNull(value, field + " must not be null");
        if (value.isBlank() || !value.equals(value.strip()) || value.contains(" ")) {
            throw new IllegalArgumentException(
                    field + " must be non-blank without spaces, got '" + value + "'");
        }
    }

    @Override
    public String toString() {
        // The secret stays out of logs and assertion messages.
        return "MiniApp[appId=" + appId + "]";
    }
}
