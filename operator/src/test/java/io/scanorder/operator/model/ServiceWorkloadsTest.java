package io.scanorder.operator.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.scanorder.crds.v1alpha1.PaymentMode;
import io.scanorder.crds.v1alpha1.Store;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ServiceWorkloadsTest {
    static final OperatorConfig CONFIG =
            new OperatorConfig("registry.test/order:1.2", "registry.test/payment:1.2", "Always");

    @Test
    void orderDeploymentRunsTheConfiguredImageWithStoreReplicasAndResources() throws IOException {
        Deployment deployment =
                ServiceWorkloads.deployment(
                        StoreConfigTest.exampleStore(), StoreService.ORDER, CONFIG, null);

        assertThat(deployment.getMetadata().getName()).isEqualTo("jingan-order");
        assertThat(deployment.getMetadata().getNamespace()).isEqualTo("lotus-kitchen");
        assertThat(deployment.getMetadata().getLabels())
                .containsEntry(StoreNames.COMPONENT, "order-service")
                .containsEntry(StoreNames.STORE, "jingan")
                .containsEntry(StoreNames.STORE_CODE, "021");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(
                        Map.of(
                                StoreNames.COMPONENT, "order-service",
                                StoreNames.STORE, "jingan"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());

        Container container = container(deployment);
        assertThat(container.getName()).isEqualTo("order-service");
        assertThat(container.getImage()).isEqualTo("registry.test/order:1.2");
        assertThat(container.getImagePullPolicy()).isEqualTo("Always");
        assertThat(container.getPorts())
                .extracting(p -> p.getName() + "=" + p.getContainerPort())
                .containsExactly("grpc=9000", "http=8080");
        assertThat(container.getResources().getRequests())
                .containsEntry("cpu", new Quantity("250m"))
                .containsEntry("memory", new Quantity("384Mi"));
        assertThat(container.getResources().getLimits())
                .containsOnly(Map.entry("memory", new Quantity("768Mi")));
        assertThat(container.getEnvFrom())
                .singleElement()
                .satisfies(
                        e -> assertThat(e.getConfigMapRef().getName()).isEqualTo("jingan-config"));
        // Payments are started through the store's own payment Service; no broker configured.
        assertThat(env(container))
                .containsOnly(
                        Map.entry("SCANORDER_STORE", "jingan"),
                        Map.entry("SCANORDER_PAYMENT_GRPC_HOST", "jingan-payment"));
    }

    @Test
    void orderServiceGetsTheBrokerUriAndItsServiceAccountSecretWhenTheOperatorKnowsTheBroker()
            throws IOException {
        OperatorConfig withBroker =
                new OperatorConfig(
                        "registry.test/order:1.2",
                        "registry.test/payment:1.2",
                        "Always",
                        "tcp://scanorder-broker.scanorder.svc:1883");
        Container order =
                container(
                        ServiceWorkloads.deployment(
                                StoreConfigTest.exampleStore(),
                                StoreService.ORDER,
                                withBroker,
                                null));

        assertThat(env(order))
                .containsEntry(
                        "SCANORDER_KITCHEN_MQTT_URI", "tcp://scanorder-broker.scanorder.svc:1883")
                .containsEntry("SCANORDER_PAYMENT_GRPC_HOST", "jingan-payment");
        assertThat(secretEnv(order))
                .containsEntry("SCANORDER_KITCHEN_MQTT_USERNAME", "jingan-order-broker/username")
                .containsEntry("SCANORDER_KITCHEN_MQTT_PASSWORD", "jingan-order-broker/password");
        // The payment service never gets the broker account.
        Container payment =
                container(
                        ServiceWorkloads.deployment(
                                StoreConfigTest.exampleStore(),
                                StoreService.PAYMENT,
                                withBroker,
                                null));
        assertThat(payment.getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain(
                        "SCANORDER_KITCHEN_MQTT_URI",
                        "SCANORDER_KITCHEN_MQTT_USERNAME",
                        "SCANORDER_KITCHEN_MQTT_PASSWORD");
    }

    @Test
    void brokerUriThatIsNotTcpOrSslHostPortIsRefusedNamingTheVariable() {
        assertThatThrownBy(
                        () ->
                                OperatorConfig.fromEnv(
                                        Map.of(
                                                OperatorConfig.SERVICE_BROKER_URI_ENV,
                                                "http://broker/")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "SCANORDER_SERVICE_BROKER_URI must be tcp://host:port or ssl://host:port,"
                                + " was 'http://broker/'");
        assertThat(OperatorConfig.defaults().serviceBrokerUri()).isNull();
    }

    @Test
    void probesUseTheGrpcHealthCheckAndTheHttpHealthEndpoints() throws IOException {
        Container container =
                container(
                        ServiceWorkloads.deployment(
                                StoreConfigTest.exampleStore(), StoreService.ORDER, CONFIG, null));

        assertThat(container.getReadinessProbe().getGrpc().getPort()).isEqualTo(9000);
        assertThat(container.getReadinessProbe().getHttpGet()).isNull();
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
        assertThat(container.getLivenessProbe().getHttpGet().getPort())
                .isEqualTo(new IntOrString("http"));
        assertThat(container.getStartupProbe().getHttpGet().getPath())
                .isEqualTo("/q/health/started");
        assertThat(container.getStartupProbe().getFailureThreshold()).isEqualTo(30);
    }

    @Test
    void podsAreAnnotatedForPrometheusAndCarryTheConfigChecksum() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        Map<String, String> annotations =
                ServiceWorkloads.deployment(store, StoreService.ORDER, CONFIG, null)
                        .getSpec()
                        .getTemplate()
                        .getMetadata()
                        .getAnnotations();

        assertThat(annotations)
                .containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/port", "8080")
                .containsEntry("prometheus.io/path", "/q/metrics")
                .containsEntry("scanorder.io/config-checksum", StoreConfig.checksum(store));

        store.getSpec().setTimezone("Asia/Chongqing");
        assertThat(StoreConfig.checksum(store))
                .isNotEqualTo(annotations.get("scanorder.io/config-checksum"))
                .hasSize(16);
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyFilesystemWithoutCapabilities() throws IOException {
        for (StoreService service : StoreService.values()) {
            Deployment deployment =
                    ServiceWorkloads.deployment(
                            StoreConfigTest.exampleStore(), service, CONFIG, null);
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(185L);
            assertThat(pod.getSecurityContext().getSeccompProfile().getType())
                    .isEqualTo("RuntimeDefault");
            assertThat(pod.getAutomountServiceAccountToken()).isFalse();
            Container container = container(deployment);
            assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
            assertThat(container.getSecurityContext().getCapabilities().getDrop())
                    .containsExactly("ALL");
            assertThat(container.getVolumeMounts())
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        }
    }

    @Test
    void paymentGetsTheMerchantSecretAsFilesAndWechatEnvironment() throws IOException {
        Deployment deployment =
                ServiceWorkloads.deployment(
                        StoreConfigTest.exampleStore(), StoreService.PAYMENT, CONFIG, null);

        assertThat(deployment.getMetadata().getName()).isEqualTo("jingan-payment");
        Container container = container(deployment);
        assertThat(container.getImage()).isEqualTo("registry.test/payment:1.2");
        assertThat(container.getResources().getRequests())
                .containsEntry("cpu", new Quantity("100m"))
                .containsEntry("memory", new Quantity("256Mi"));
        assertThat(container.getVolumeMounts())
                .anySatisfy(
                        m -> {
                            assertThat(m.getName()).isEqualTo("merchant");
                            assertThat(m.getMountPath())
                                    .isEqualTo("/var/run/secrets/scanorder/merchant");
                            assertThat(m.getReadOnly()).isTrue();
                        });
        Volume merchant =
                deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .filter(v -> v.getName().equals("merchant"))
                        .findFirst()
                        .orElseThrow();
        assertThat(merchant.getSecret().getSecretName()).isEqualTo("lotus-kitchen-wechatpay");
        // Payment results go back to the store's own order Service; the example store is a
        // service-provider sub-merchant.
        assertThat(env(container))
                .containsOnly(
                        Map.entry("SCANORDER_STORE", "jingan"),
                        Map.entry("SCANORDER_ORDER_GRPC_HOST", "jingan-order"),
                        Map.entry("WECHAT_PAY_MODE", "SERVICE_PROVIDER"),
                        Map.entry("WECHAT_SUB_MCH_ID", "1900009231"),
                        Map.entry("SCANORDER_MAX_ORDER_FEN", "500000"),
                        Map.entry(
                                "SCANORDER_DATA_KEYS_DIR",
                                "/var/run/secrets/scanorder/payment-data"),
                        Map.entry("SCANORDER_DATA_KEY_ID", "k1"));
        // The data keys: the whole Secret, so a key added for rotation shows up as a file.
        assertThat(container.getVolumeMounts())
                .anySatisfy(
                        m -> {
                            assertThat(m.getName()).isEqualTo("payment-data");
                            assertThat(m.getMountPath())
                                    .isEqualTo("/var/run/secrets/scanorder/payment-data");
                            assertThat(m.getReadOnly()).isTrue();
                        });
        Volume data =
                deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .filter(v -> v.getName().equals("payment-data"))
                        .findFirst()
                        .orElseThrow();
        assertThat(data.getSecret().getSecretName()).isEqualTo("jingan-payment-data");
        assertThat(data.getSecret().getItems()).isEmpty();
        assertThat(merchant.getSecret().getItems())
                .extracting(i -> i.getKey() + "->" + i.getPath())
                .containsExactly("apiclient_key.pem->apiclient_key.pem", "api-v3-key->api-v3-key");
        Map<String, String> secretEnv =
                container.getEnv().stream()
                        .filter(e -> e.getValueFrom() != null)
                        .collect(
                                Collectors.toMap(
                                        EnvVar::getName,
                                        e ->
                                                e.getValueFrom().getSecretKeyRef().getName()
                                                        + "/"
                                                        + e.getValueFrom()
                                                                .getSecretKeyRef()
                                                                .getKey()));
        assertThat(secretEnv)
                .containsOnly(
                        Map.entry("WECHAT_MCH_ID", "lotus-kitchen-wechatpay/mch-id"),
                        Map.entry("WECHAT_APP_ID", "lotus-kitchen-wechatpay/app-id"),
                        Map.entry(
                                "WECHAT_MERCHANT_SERIAL_NUMBER",
                                "lotus-kitchen-wechatpay/merchant-serial-number"),
                        Map.entry("WECHAT_NOTIFY_URL", "lotus-kitchen-wechatpay/notify-url"),
                        Map.entry("WECHAT_SUB_APP_ID", "lotus-kitchen-wechatpay/sub-app-id"));
    }

    @Test
    void serviceProviderStoreGivesItsPaymentServiceTheModeAndSubMerchant() throws IOException {
        Store store = StoreConfigTest.exampleStore(); // mode service-provider, sub 1900009231

        Container container =
                container(ServiceWorkloads.deployment(store, StoreService.PAYMENT, CONFIG, null));

        assertThat(env(container))
                .containsEntry("WECHAT_PAY_MODE", "SERVICE_PROVIDER")
                .containsEntry("WECHAT_SUB_MCH_ID", "1900009231");
        EnvVar subApp =
                container.getEnv().stream()
                        .filter(e -> e.getName().equals("WECHAT_SUB_APP_ID"))
                        .findFirst()
                        .orElseThrow();
        // The sub-merchant's own mini program is optional: a missing key must not block the pod.
        assertThat(subApp.getValueFrom().getSecretKeyRef().getOptional()).isTrue();
        assertThat(
                        container(
                                        ServiceWorkloads.deployment(
                                                store, StoreService.ORDER, CONFIG, null))
                                .getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain("WECHAT_PAY_MODE", "WECHAT_SUB_MCH_ID", "WECHAT_SUB_APP_ID");
    }

    @Test
    void directStoreGivesItsPaymentServiceDirectModeAndNoSubMerchant() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        store.getSpec().getPayment().setMode(PaymentMode.DIRECT);
        store.getSpec().getPayment().setSubMchId(null);

        Container container =
                container(ServiceWorkloads.deployment(store, StoreService.PAYMENT, CONFIG, null));

        assertThat(env(container)).containsEntry("WECHAT_PAY_MODE", "DIRECT");
        assertThat(container.getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain("WECHAT_SUB_MCH_ID", "WECHAT_SUB_APP_ID");
    }

    @Test
    void paymentServiceGetsTheStoresSingleOrderLimitOnlyWhenItHasOne() throws IOException {
        Store store = StoreConfigTest.exampleStore(); // maxOrderAmountFen 500000

        assertThat(
                        env(
                                container(
                                        ServiceWorkloads.deployment(
                                                store, StoreService.PAYMENT, CONFIG, null))))
                .containsEntry("SCANORDER_MAX_ORDER_FEN", "500000");

        store.getSpec().getPayment().setMaxOrderAmountFen(null);
        // Without a limit in the spec the service's own default applies, not an empty value.
        assertThat(
                        container(
                                        ServiceWorkloads.deployment(
                                                store, StoreService.PAYMENT, CONFIG, null))
                                .getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain("SCANORDER_MAX_ORDER_FEN");
    }

    @Test
    void raisingTheDataKeyGenerationPointsThePaymentPodsAtTheNewKey() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        Deployment before = ServiceWorkloads.deployment(store, StoreService.PAYMENT, CONFIG, null);
        store.getSpec().getPayment().setDataKeyGeneration(3);

        Deployment after = ServiceWorkloads.deployment(store, StoreService.PAYMENT, CONFIG, null);

        assertThat(env(container(after))).containsEntry("SCANORDER_DATA_KEY_ID", "k3");
        // A changed pod template is what rolls the pods onto the new key.
        assertThat(after.getSpec().getTemplate()).isNotEqualTo(before.getSpec().getTemplate());
    }

    @Test
    void changingTheSubMerchantChangesThePaymentPodTemplate() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        Deployment before = ServiceWorkloads.deployment(store, StoreService.PAYMENT, CONFIG, null);
        store.getSpec().getPayment().setSubMchId("1900009232");

        Deployment after = ServiceWorkloads.deployment(store, StoreService.PAYMENT, CONFIG, null);

        // Env is read at start: a different template is what makes Kubernetes roll the pods.
        assertThat(after.getSpec().getTemplate()).isNotEqualTo(before.getSpec().getTemplate());
        assertThat(env(container(after))).containsEntry("WECHAT_SUB_MCH_ID", "1900009232");
    }

    @Test
    void orderServiceGetsOnlyTheDinerSecretNeverMerchantKeys() throws IOException {
        Deployment deployment =
                ServiceWorkloads.deployment(
                        StoreConfigTest.exampleStore(), StoreService.ORDER, CONFIG, null);

        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .extracting(Volume::getName)
                .containsExactly("tmp");
        Map<String, String> secretEnv =
                container(deployment).getEnv().stream()
                        .filter(e -> e.getValueFrom() != null)
                        .collect(
                                Collectors.toMap(
                                        EnvVar::getName,
                                        e ->
                                                e.getValueFrom().getSecretKeyRef().getName()
                                                        + "/"
                                                        + e.getValueFrom()
                                                                .getSecretKeyRef()
                                                                .getKey()));
        // Exactly what the order service needs to start: mini-program and session signing key.
        assertThat(secretEnv)
                .containsOnly(
                        Map.entry("SCANORDER_WECHAT_APP_ID", "lotus-kitchen-diner/app-id"),
                        Map.entry("SCANORDER_WECHAT_SECRET", "lotus-kitchen-diner/app-secret"),
                        Map.entry(
                                "SCANORDER_DINER_SESSIONS_SIGNING_KEY",
                                "lotus-kitchen-diner/session-signing-key"));
        assertThat(container(deployment).getEnv())
                .extracting(EnvVar::getName)
                .doesNotContain("WECHAT_MCH_ID", "WECHAT_APP_ID");
    }

    @Test
    void storeWithoutDinerSecretIsReportedWithTheFieldPath() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        store.getSpec().setDinerSecretRef(null);
        assertThatThrownBy(
                        () -> ServiceWorkloads.deployment(store, StoreService.ORDER, CONFIG, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spec.dinerSecretRef is required");
    }

    @Test
    void autoscaledOrderDeploymentKeepsTheReplicasTheAutoscalerChose() throws IOException {
        Store store = StoreConfigTest.exampleStore();

        assertThat(
                        ServiceWorkloads.deployment(store, StoreService.ORDER, CONFIG, 5)
                                .getSpec()
                                .getReplicas())
                .isEqualTo(5);
        assertThat(
                        ServiceWorkloads.deployment(store, StoreService.PAYMENT, CONFIG, 5)
                                .getSpec()
                                .getReplicas())
                .isEqualTo(2);

        store.getSpec().getServing().setPeakOrdersPerSecond(null);
        assertThat(
                        ServiceWorkloads.deployment(store, StoreService.ORDER, CONFIG, 5)
                                .getSpec()
                                .getReplicas())
                .as("without autoscaler the store's replicas win")
                .isEqualTo(2);
    }

    @Test
    void servingDefaultsApplyWhenTheStoreSaysNothing() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        store.getSpec().setServing(null);

        Deployment deployment =
                ServiceWorkloads.deployment(store, StoreService.ORDER, CONFIG, null);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(container(deployment).getResources().getRequests())
                .containsEntry("cpu", new Quantity("250m"));
    }

    @Test
    void serviceExposesGrpcAndHttpToThePodsOfItsStore() throws IOException {
        Service service =
                ServiceWorkloads.service(StoreConfigTest.exampleStore(), StoreService.PAYMENT);

        assertThat(service.getMetadata().getName()).isEqualTo("jingan-payment");
        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getSelector())
                .isEqualTo(
                        Map.of(
                                StoreNames.COMPONENT, "payment-service",
                                StoreNames.STORE, "jingan"));
        assertThat(service.getSpec().getPorts())
                .extracting(
                        ServicePort::getName,
                        ServicePort::getPort,
                        p -> p.getTargetPort().getStrVal())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("grpc", 9000, "grpc"),
                        org.assertj.core.groups.Tuple.tuple("http", 8080, "http"));
    }

    @Test
    void invalidReplicasAreReportedWithTheFieldPath() throws IOException {
        Store store = StoreConfigTest.exampleStore();
        store.getSpec().getServing().setReplicas(-1);

        assertThatThrownBy(
                        () -> ServiceWorkloads.deployment(store, StoreService.ORDER, CONFIG, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("spec.serving.replicas must be between 1 and 20, was -1");
    }

    @Test
    void endpointsNameTheOrderServiceDnsNames() throws IOException {
        assertThat(StoreNames.endpoints(StoreConfigTest.exampleStore()))
                .containsExactly(
                        Map.entry("orderGrpc", "jingan-order.lotus-kitchen.svc:9000"),
                        Map.entry("orderHttp", "http://jingan-order.lotus-kitchen.svc:8080"));
    }

    private static Container container(Deployment deployment) {
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers()).hasSize(1);
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Map<String, String> secretEnv(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValueFrom() != null)
                .collect(
                        Collectors.toMap(
                                EnvVar::getName,
                                e ->
                                        e.getValueFrom().getSecretKeyRef().getName()
                                                + "/"
                                                + e.getValueFrom().getSecretKeyRef().getKey()));
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream()
                .filter(e -> e.getValue() != null)
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }
}
