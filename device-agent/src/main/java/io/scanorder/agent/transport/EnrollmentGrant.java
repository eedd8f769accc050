package io.scanorder.agent.transport;

/**
 * The credentials the broker hands a device that redeemed its enrollment code.
 *
 * @param deviceId the device's MQTT user name and client id
 * @param storeCode its 3-digit store code
 * @param password its MQTT password; never printed by {@link #toString()}
 */
public record EnrollmentGrant(String deviceId, String storeCode, String password) {
    @Override
    public String toString() {
        return "EnrollmentGrant[deviceId=" + deviceId + ", storeCode=" + storeCode + ", ***]";
    }
}
