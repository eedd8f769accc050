package io.scanorder.order.kitchen;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.scanorder.testkit.MqttBroker;
import java.util.Map;

/**
 * Points kitchen dispatch at the testkit's embedded HiveMQ broker (with the ScanOrder extension's
 * authentication and topic policy) under a service account added for the test.
 */
public class KitchenBroker implements QuarkusTestResourceLifecycleManager {
    static final String SERVICE_ACCOUNT = "order-service";
    static final String SERVICE_PASSWORD = "order-service-test-password";

    @Override
    public Map<String, String> start() {
        MqttBroker broker = MqttBroker.shared();
        broker.addServiceAccount(SERVICE_ACCOUNT, SERVICE_PASSWORD);
        return Map.of(
                "scanorder.kitchen.mqtt.uri", broker.uri(),
                "scanorder.kitchen.mqtt.username", SERVICE_ACCOUNT,
                "scanorder.kitchen.mqtt.password", SERVICE_PASSWORD);
    }

    @Override
    public void stop() {
        // the broker is shared by the test JVM and stopped by its shutdown hook
    }
}
