package io.scanorder.operator.model;

import com.google.protobuf.Timestamp;
import io.scanorder.crds.v1alpha1.AlarmCode;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.DeviceAlarm;
import io.scanorder.crds.v1alpha1.DevicePhase;
import io.scanorder.crds.v1alpha1.DeviceRole;
import io.scanorder.crds.v1alpha1.DeviceType;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.crds.v1alpha1.KitchenDeviceSpec;
import io.scanorder.crds.v1alpha1.KitchenDeviceStatus;
import io.scanorder.crds.v1alpha1.PaperState;
import io.scanorder.crds.v1alpha1.PrinterOptions;
import io.scanorder.proto.order.v1.Alarm;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import java.time.Instant;
import java.util.List;

/**
 * A KitchenDevice in the terms of the order service's device registry, and the health the service
 * observes mirrored back into the device's status. The device id is the resource name, which is
 * also its MQTT user name.
 */
public final class DeviceRegistration {
    /** Condition type: the order service knows the device and routes tickets to it. */
    public static final String REGISTERED = "Registered";

    /** Condition type: the device heartbeats and has no alarm that stops it printing. */
    public static final String HEALTHY = "Healthy";

    static final int DEFAULT_HEARTBEAT_SECONDS = 15;

    private DeviceRegistration() {}

    /** RegisterDevice input for the device of the store with this code. */
    public static RegisterDeviceRequest request(KitchenDevice device, String storeCode) {
        KitchenDeviceSpec spec = device.getSpec();
        RegisterDeviceRequest.Builder b =
                RegisterDeviceRequest.newBuilder()
                        .setStoreCode(storeCode)
                        .setDeviceId(device.getMetadata().getName())
                        .setType(type(spec.getType()))
                        .setRole(
                                spec.getRole() == DeviceRole.BACKUP
                                        ? io.scanorder.proto.order.v1.DeviceRole.DEVICE_ROLE_BACKUP
                                        : io.scanorder.proto.order.v1.DeviceRole
                                                .DEVICE_ROLE_PRIMARY)
                        .addAllStations(spec.getStations() == null ? List.of() : spec.getStations())
                        .setHeartbeatIntervalSeconds(
                                spec.getHeartbeatIntervalSeconds() == null
                                        ? DEFAULT_HEARTBEAT_SECONDS
                                        : spec.getHeartbeatIntervalSeconds());
        if (spec.getType() == DeviceType.PRINTER) {
            PrinterOptions p = spec.getPrinter() == null ? new PrinterOptions() : spec.getPrinter();
            b.getPrinterBuilder()
                    .setPaperWidthMm(p.getPaperWidthMm() == null ? 80 : p.getPaperWidthMm())
                    .setCopies(p.getCopies() == null ? 1 : p.getCopies())
                    .setCutter(p.getCutter() == null || p.getCutter());
        }
        return b.build();
    }

    /**
     * Copies what the service observes (phase, last heartbeat, alarms, agent version, paper) into
     * the status and returns the Healthy condition for it.
     */
    public static Condition mirror(
            DeviceHealth health, DeviceType type, KitchenDeviceStatus status) {
        DevicePhase phase = phase(health.getPhase());
        status.setPhase(phase);
        status.setLastHeartbeat(
                health.hasLastHeartbeatAt() ? rfc3339(health.getLastHeartbeatAt()) : null);
        status.setAgentVersion(
                health.getAgentVersion().isEmpty() ? null : health.getAgentVersion());
        List<DeviceAlarm> alarms =
                health.getActiveAlarmsList().stream().map(DeviceRegistration::alarm).toList();
        status.setAlarms(alarms.isEmpty() ? null : alarms);
        status.setPaper(type == DeviceType.PRINTER ? paper(phase, alarms) : null);
        return switch (phase) {
            case Online ->
                    new Condition(
                            HEALTHY,
                            ConditionStatus.True,
                            "Online",
                            "heartbeating, last at " + status.getLastHeartbeat());
            case Degraded ->
                    new Condition(
                            HEALTHY,
                            ConditionStatus.False,
                            "Degraded",
                            "heartbeating with alarms "
                                    + alarms.stream().map(DeviceAlarm::getCode).toList());
            case Offline ->
                    new Condition(
                            HEALTHY,
                            ConditionStatus.False,
                            "Offline",
                            "no heartbeat since "
                                    + (status.getLastHeartbeat() == null
                                            ? "registration"
                                            : status.getLastHeartbeat())
                                    + "; check the agent's power and network");
            default ->
                    new Condition(
                            HEALTHY,
                            ConditionStatus.Unknown,
                            "NotConnectedYet",
                            "the agent has not sent a heartbeat yet");
        };
    }

    /** The CR phase for the service's: credentials are issued by now, so never Pending. */
    static DevicePhase phase(io.scanorder.proto.order.v1.DevicePhase phase) {
        return switch (phase) {
            case DEVICE_PHASE_ONLINE -> DevicePhase.Online;
            case DEVICE_PHASE_DEGRADED -> DevicePhase.Degraded;
            case DEVICE_PHASE_OFFLINE -> DevicePhase.Offline;
            default -> DevicePhase.Provisioned;
        };
    }

    private static io.scanorder.proto.order.v1.DeviceType type(DeviceType type) {
        if (type == null) {
            throw new IllegalArgumentException("spec.type is required");
        }
        return switch (type) {
            case PRINTER -> io.scanorder.proto.order.v1.DeviceType.DEVICE_TYPE_PRINTER;
            case KDS_TABLET -> io.scanorder.proto.order.v1.DeviceType.DEVICE_TYPE_KDS_TABLET;
            case LED_BOARD -> io.scanorder.proto.order.v1.DeviceType.DEVICE_TYPE_LED_BOARD;
        };
    }

    private static DeviceAlarm alarm(Alarm a) {
        DeviceAlarm alarm = new DeviceAlarm();
        alarm.setCode(
                switch (a.getType()) {
                    case ALARM_TYPE_PAPER_OUT -> AlarmCode.PAPER_OUT;
                    case ALARM_TYPE_PAPER_LOW -> AlarmCode.PAPER_LOW;
                    case ALARM_TYPE_COVER_OPEN -> AlarmCode.COVER_OPEN;
                    default -> AlarmCode.PRINTER_UNREACHABLE;
                });
        alarm.setSince(rfc3339(a.getRaisedAt()));
        alarm.setMessage(a.getDetail().isEmpty() ? null : a.getDetail());
        return alarm;
    }

    private static PaperState paper(DevicePhase phase, List<DeviceAlarm> alarms) {
        if (alarms.stream().anyMatch(a -> a.getCode() == AlarmCode.PAPER_OUT)) {
            return PaperState.OUT;
        }
        if (alarms.stream().anyMatch(a -> a.getCode() == AlarmCode.PAPER_LOW)) {
            return PaperState.LOW;
        }
        return phase == DevicePhase.Online || phase == DevicePhase.Degraded
                ? PaperState.OK
                : PaperState.UNKNOWN;
    }

    private static String rfc3339(Timestamp t) {
        return Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString();
    }
}
