package io.scanorder.agent.config;

/** A pushed device config that cannot be used; the message names the field and the value. */
public final class DeviceConfigException extends Exception {
    public DeviceConfigException(String message) {
        super(message);
    }
}
