package io.scanorder.order;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.eclipse.microprofile.config.ConfigProvider;

/** A plaintext channel to the gRPC server of the order service under test (its test port). */
public final class OwnGrpcChannel {
    private OwnGrpcChannel() {}

    /** Opens a channel to {@code quarkus.grpc.server.test-port} on loopback; close it after. */
    public static ManagedChannel open() {
        int port =
                ConfigProvider.getConfig().getValue("quarkus.grpc.server.test-port", Integer.class);
        return ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    }
}
