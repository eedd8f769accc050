package io.scanorder.operator.model;

import io.scanorder.crds.v1alpha1.AlarmCode;
import io.scanorder.crds.v1alpha1.Condition;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.DeviceAlarm;
import io.scanorder.crds.v1alpha1.DevicePhase;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.crds.v1alpha1.Station;
import io.scanorder.crds.v1alpha1.Store;
import java.util.List;
import java.util.Set;

/** A Store's device summary (online, total, DevicesHealthy) from its KitchenDevices' status. */
public final class StoreDevices {
    /** Alarms that stop a device from taking tickets; paper low does not. */
    private static final Set<AlarmCode> BLOCKING =
            Set.of(AlarmCode.PAPER_OUT, AlarmCode.COVER_OPEN, AlarmCode.PRINTER_UNREACHABLE);

    private StoreDevices() {}

    /** Devices counted as online: Online or Degraded (heartbeating, maybe with an alarm). */
    public static int online(List<KitchenDevice> devices) {
        return (int)
                devices.stream()
                        .map(StoreDevices::phase)
                        .filter(p -> p == DevicePhase.Online || p == DevicePhase.Degraded)
                        .count();
    }

    /**
     * DevicesHealthy: True when every station of the store has a device that heartbeats without an
     * alarm that stops it; False naming the first station that has none.
     */
    public static Condition condition(Store store, List<KitchenDevice> devices) {
        List<String> stations =
                store.getSpec().getStations().stream().map(Station::getName).toList();
        for (String station : stations) {
            List<KitchenDevice> serving =
                    devices.stream()
                            .filter(
                                    d ->
                                            d.getSpec() != null
                                                    && d.getSpec().getStations() != null
                                                    && d.getSpec().getStations().contains(station))
                            .toList();
            if (serving.isEmpty()) {
                return new Condition(
                        ConditionType.DEVICES_HEALTHY,
                        ConditionStatus.False,
                        "StationWithoutDevice",
                        "station " + station + " has no KitchenDevice");
            }
            if (serving.stream().noneMatch(StoreDevices::healthy)) {
                return new Condition(
                        ConditionType.DEVICES_HEALTHY,
                        ConditionStatus.False,
                        "StationWithoutHealthyDevice",
                        "station "
                                + station
                                + " has no healthy device: "
                                + serving.stream()
                                        .map(d -> d.getMetadata().getName() + " " + phase(d))
                                        .toList());
            }
        }
        return new Condition(
                ConditionType.DEVICES_HEALTHY,
                ConditionStatus.True,
                "AllStationsServed",
                online(devices)
                        + " of "
                        + devices.size()
                        + " devices online; every station served");
    }

    private static boolean healthy(KitchenDevice d) {
        DevicePhase phase = phase(d);
        if (phase == DevicePhase.Online) {
            return true;
        }
        List<DeviceAlarm> alarms = d.getStatus().getAlarms();
        return phase == DevicePhase.Degraded
                && (alarms == null
                        || alarms.stream().noneMatch(a -> BLOCKING.contains(a.getCode())));
    }

    private static DevicePhase phase(KitchenDevice d) {
        return d.getStatus() == null || d.getStatus().getPhase() == null
                ? DevicePhase.Pending
                : d.getStatus().getPhase();
    }
}
