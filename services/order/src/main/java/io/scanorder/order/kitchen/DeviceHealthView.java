package io.scanorder.order.kitchen;

import java.time.Instant;
import java.util.List;

/**
 * A registered device and the health the service observed (what DeviceRegistry returns).
 *
 * @param storeCode 3-digit store code
 * @param deviceId device id
 * @param type PRINTER, KDS_TABLET or LED_BOARD
 * @param role PRIMARY or BACKUP
 * @param stations stations it serves, sorted
 * @param phase PENDING, ONLINE, DEGRADED or OFFLINE
 * @param lastHeartbeatAt last heartbeat, null if never
 * @param alarms active alarms, by type
 * @param agentVersion agent version from the last heartbeat
 * @param queueDepth queue depth from the last heartbeat
 * @param paperState OK, LOW, OUT or UNKNOWN
 * @param configRevision revision of the config pushed to the device ("" before its first
 *     registration with config push)
 * @param appliedConfigRevision revision the device last reported running with ("" if none)
 */
public record DeviceHealthView(
        String storeCode,
        String deviceId,
        String type,
        String role,
        List<String> stations,
        String phase,
        Instant lastHeartbeatAt,
        List<ActiveAlarm> alarms,
        String agentVersion,
        int queueDepth,
        String paperState,
        String configRevision,
        String appliedConfigRevision) {

    /** Whether the device reported running with the latest pushed config. */
    public boolean configCurrent() {
        return !configRevision.isEmpty() && configRevision.equals(appliedConfigRevision);
    }

    /** One raised alarm. */
    public record ActiveAlarm(String type, Instant raisedAt, String detail) {}
}
