package io.scanorder.payment.orders;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one gRPC channel from this service to its store's order service, shared by the notifier
 * (OrderPayments) and the refund approval check (OrderService.GetOrder), so both reconnect together
 * and never open a connection each.
 */
@ApplicationScoped
public class OrderServiceChannel {
    private final String host;
    private final int port;
    private ManagedChannel channel;

    OrderServiceChannel(
            @ConfigProperty(name = "scanorder.payment.order-service.host") String host,
            @ConfigProperty(name = "scanorder.payment.order-service.port") int port) {
        this.host = host;
        this.port = port;
    }

    /** The channel, opened on first use. */
    public synchronized ManagedChannel get() {
        if (channel == null) {
            channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
        }
        return channel;
    }

    /** After UNAVAILABLE: try to connect again now instead of after the channel's backoff. */
    public synchronized void reconnectSoon() {
        if (channel != null) {
            channel.resetConnectBackoff();
        }
    }

    /** host:port, for log lines and errors. */
    public String address() {
        return host + ":" + port;
    }

    @PreDestroy
    synchronized void close() {
        if (channel != null) {
            channel.shutdownNow();
            channel = null;
        }
    }
}
