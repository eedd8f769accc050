package io.scanorder.order.grpc;

import com.google.protobuf.Timestamp;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.scanorder.order.kitchen.DeviceHealthView;
import io.scanorder.order.kitchen.DeviceRegistration;
import io.scanorder.order.kitchen.KitchenDevices;
import io.scanorder.proto.order.v1.Alarm;
import io.scanorder.proto.order.v1.AlarmType;
import io.scanorder.proto.order.v1.DeregisterDeviceRequest;
import io.scanorder.proto.order.v1.DeregisterDeviceResponse;
import io.scanorder.proto.order.v1.DeviceHealth;
import io.scanorder.proto.order.v1.DevicePhase;
import io.scanorder.proto.order.v1.DeviceRegistryGrpc;
import io.scanorder.proto.order.v1.DeviceRole;
import io.scanorder.proto.order.v1.DeviceType;
import io.scanorder.proto.order.v1.GetDeviceHealthRequest;
import io.scanorder.proto.order.v1.ListDeviceHealthRequest;
import io.scanorder.proto.order.v1.ListDeviceHealthResponse;
import io.scanorder.proto.order.v1.RegisterDeviceRequest;
import io.smallrye.common.annotation.Blocking;
import java.time.Instant;
import java.util.List;

/**
 * gRPC {@code DeviceRegistry} (called by the operator per KitchenDevice): maps proto to {@link
 * KitchenDevices}; INVALID_ARGUMENT names the field, NOT_FOUND an unknown store or device,
 * UNAVAILABLE a database problem (retrying is safe: every call is idempotent).
 */
@GrpcService
@Blocking
public class DeviceRegistryGrpcService extends DeviceRegistryGrpc.DeviceRegistryImplBase {

    private final KitchenDevices devices;

    public DeviceRegistryGrpcService(KitchenDevices devices) {
        this.devices = devices;
    }

    @Override
    public void registerDevice(
            RegisterDeviceRequest request, StreamObserver<DeviceHealth> response) {
        GrpcErrors.respond(response, () -> toProto(devices.register(toDomain(request))));
    }

    @Override
    public void deregisterDevice(
            DeregisterDeviceRequest request, StreamObserver<DeregisterDeviceResponse> response) {
        GrpcErrors.respond(
                response,
                () ->
                        DeregisterDeviceResponse.newBuilder()
                                .setExisted(
                                        devices.deregister(
                                                request.getStoreCode(), request.getDeviceId()))
                                .build());
    }

    @Override
    public void getDeviceHealth(
            GetDeviceHealthRequest request, StreamObserver<DeviceHealth> response) {
        GrpcErrors.respond(
                response,
                () -> toProto(devices.get(request.getStoreCode(), request.getDeviceId())));
    }

    @Override
    public void listDeviceHealth(
            ListDeviceHealthRequest request, StreamObserver<ListDeviceHealthResponse> response) {
        GrpcErrors.respond(
                response,
                () -> {
                    List<DeviceHealthView> list = devices.list(request.getStoreCode());
                    ListDeviceHealthResponse.Builder b = ListDeviceHealthResponse.newBuilder();
                    int online = 0;
                    for (DeviceHealthView v : list) {
                        DeviceHealth h = toProto(v);
                        b.addDevices(h);
                        if (h.getPhase() == DevicePhase.DEVICE_PHASE_ONLINE
                                || h.getPhase() == DevicePhase.DEVICE_PHASE_DEGRADED) {
                            online++;
                        }
                    }
                    return b.setOnlineCount(online).build();
                });
    }

    static DeviceRegistration toDomain(RegisterDeviceRequest r) {
        String type =
                switch (r.getType()) {
                    case DEVICE_TYPE_PRINTER -> "PRINTER";
                    case DEVICE_TYPE_KDS_TABLET -> "KDS_TABLET";
                    case DEVICE_TYPE_LED_BOARD -> "LED_BOARD";
                    default -> null;
                };
        String role =
                switch (r.getRole()) {
                    case DEVICE_ROLE_PRIMARY -> "PRIMARY";
                    case DEVICE_ROLE_BACKUP -> "BACKUP";
                    default -> null;
                };
        boolean printer = "PRINTER".equals(type) && r.hasPrinter();
        return new DeviceRegistration(
                r.getStoreCode(),
                r.getDeviceId(),
                type,
                role,
                r.getStationsList(),
                r.getHeartbeatIntervalSeconds(),
                printer ? r.getPrinter().getPaperWidthMm() : null,
                printer ? r.getPrinter().getCopies() : 1,
                printer && r.getPrinter().getCutter());
    }

    static DeviceHealth toProto(DeviceHealthView v) {
        DeviceHealth.Builder b =
                DeviceHealth.newBuilder()
                        .setStoreCode(v.storeCode())
                        .setDeviceId(v.deviceId())
                        .setType(DeviceType.valueOf("DEVICE_TYPE_" + v.type()))
                        .setRole(DeviceRole.valueOf("DEVICE_ROLE_" + v.role()))
                        .addAllStations(v.stations())
                        .setPhase(DevicePhase.valueOf("DEVICE_PHASE_" + v.phase()))
                        .setAgentVersion(v.agentVersion())
                        .setQueueDepth(v.queueDepth())
                        .setConfigRevision(v.configRevision())
                        .setAppliedConfigRevision(v.appliedConfigRevision())
                        .setConfigCurrent(v.configCurrent());
        if (v.lastHeartbeatAt() != null) {
            b.setLastHeartbeatAt(timestamp(v.lastHeartbeatAt()));
        }
        for (DeviceHealthView.ActiveAlarm a : v.alarms()) {
            b.addActiveAlarms(
                    Alarm.newBuilder()
                            .setType(AlarmType.valueOf("ALARM_TYPE_" + a.type()))
                            .setRaisedAt(timestamp(a.raisedAt()))
                            .setDetail(a.detail()));
        }
        return b.build();
    }

    private static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder()
                .setSeconds(at.getEpochSecond())
                .setNanos(at.getNano())
                .build();
    }
}
