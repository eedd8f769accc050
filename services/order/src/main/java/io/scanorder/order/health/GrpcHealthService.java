package io.scanorder.order.health;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.quarkus.grpc.GrpcService;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.event.Observes;

/**
 * The standard gRPC health service (grpc.health.v1.Health, Check and Watch) backed by grpc-java's
 * {@link HealthStatusManager}. The overall status (service name "") follows the database, as set by
 * {@link DatabaseHealthWatcher}; on shutdown every status turns NOT_SERVING.
 */
@GrpcService
public class GrpcHealthService implements BindableService {
    private final HealthStatusManager manager = new HealthStatusManager();

    @Override
    public ServerServiceDefinition bindService() {
        return manager.getHealthService().bindService();
    }

    /** Sets the overall serving status. */
    public void setServing(boolean serving) {
        manager.setStatus(
                HealthStatusManager.SERVICE_NAME_ALL_SERVICES,
                serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
    }

    void onShutdown(@Observes ShutdownEvent event) {
        manager.enterTerminalState();
    }
}
