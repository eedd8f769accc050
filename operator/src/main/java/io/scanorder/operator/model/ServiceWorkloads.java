package io.scanorder.operator.model;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.scanorder.crds.v1alpha1.PaymentMode;
import io.scanorder.crds.v1alpha1.PaymentSpec;
import io.scanorder.crds.v1alpha1.ServingSpec;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.crds.v1alpha1.StoreSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Desired Deployments and Services of the order and payment services of a store. */
public final class ServiceWorkloads {
    /** Replicas when the Store does not say (the CRD default). */
    static final int DEFAULT_REPLICAS = 2;

    /** Where the payment service finds the merchant key files (its application.properties). */
    public static final String MERCHANT_MOUNT_PATH = "/var/run/secrets/scanorder/merchant";

    /** Merchant Secret keys mounted as files. */
    public static final List<String> MERCHANT_FILES = List.of("apiclient_key.pem", "api-v3-key");

    /** Environment variable of the payment service -> key of the merchant Secret. */
    public static final Map<String, String> MERCHANT_ENV =
            Map.of(
                    "WECHAT_MCH_ID", "mch-id",
                    "WECHAT_APP_ID", "app-id",
                    "WECHAT_MERCHANT_SERIAL_NUMBER", "merchant-serial-number",
                    "WECHAT_NOTIFY_URL", "notify-url");

    /** Payment service variable with {@code spec.payment.maxOrderAmountFen}, when set. */
    public static final String MAX_ORDER_FEN_ENV = "SCANORDER_MAX_ORDER_FEN";

    /** Payment service variable with the WeChat Pay mode: DIRECT or SERVICE_PROVIDER. */
    public static final String PAY_MODE_ENV = "WECHAT_PAY_MODE";

    /** Payment service variable with {@code spec.payment.subMchId} (service-provider mode). */
    public static final String SUB_MCH_ID_ENV = "WECHAT_SUB_MCH_ID";

    /**
     * Payment service variable, service-provider mode only, from the optional {@code sub-app-id}
     * key of the merchant Secret: the sub-merchant's own mini program, when diners pay from it.
     */
    public static final String SUB_APP_ID_ENV = "WECHAT_SUB_APP_ID";

    /**
     * Environment variable of the order service -> key of the diner Secret ({@code
     * spec.dinerSecretRef}): it refuses to start without them.
     */
    public static final Map<String, String> DINER_ENV =
            Map.of(
                    "SCANORDER_WECHAT_APP_ID", "app-id",
                    "SCANORDER_WECHAT_SECRET", "app-secret",
                    "SCANORDER_DINER_SESSIONS_SIGNING_KEY", "session-signing-key");

    /**
     * Environment variable of the order service -> key of its broker account Secret ({@link
     * StoreNames#orderBrokerSecretName}, which the StoreReconciler issues with {@link
     * OrderBrokerAccount}). Referenced only when the operator knows the in-cluster broker URI
     * ({@link OperatorConfig#serviceBrokerUri()}).
     */
    public static final Map<String, String> ORDER_BROKER_ENV =
            Map.of(
                    "SCANORDER_KITCHEN_MQTT_USERNAME", "username",
                    "SCANORDER_KITCHEN_MQTT_PASSWORD", "password");

    /** User of the Quarkus base images; numeric so runAsNonRoot can be verified. */
    static final long RUN_AS_USER = 185L;

    static final String CONFIG_CHECKSUM = "scanorder.io/config-checksum";

    private ServiceWorkloads() {}

    /**
     * The Deployment of {@code service} for the store.
     *
     * @param currentReplicas replicas of the existing Deployment, or null. While an autoscaler
     *     manages the order service, the replicas it chose are kept instead of being reset.
     */
    public static Deployment deployment(
            Store store, StoreService service, OperatorConfig config, Integer currentReplicas) {
        StoreSpec spec = StoreValidation.requireValid(store.getSpec());
        boolean autoscaled = service == StoreService.ORDER && Autoscaling.enabled(store);
        int replicas =
                autoscaled && currentReplicas != null
                        ? currentReplicas
                        : replicas(spec.getServing());
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/port", Integer.toString(StoreService.HTTP_PORT));
        annotations.put("prometheus.io/path", "/q/metrics");
        annotations.put(CONFIG_CHECKSUM, StoreConfig.checksum(store));
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(service.resourceName(store))
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(StoreNames.labels(store, service.component()))
                .endMetadata()
                .withNewSpec()
                .withReplicas(replicas)
                .withNewSelector()
                .withMatchLabels(StoreNames.selectorLabels(store, service.component()))
                .endSelector()
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(StoreNames.labels(store, service.component()))
                .withAnnotations(annotations)
                .endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(RUN_AS_USER)
                .withRunAsGroup(RUN_AS_USER)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(store, service, config))
                .withVolumes(volumes(store, service))
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The ClusterIP Service in front of {@code service}'s pods: gRPC 9000 and HTTP 8080. */
    public static Service service(Store store, StoreService service) {
        StoreValidation.requireValid(store.getSpec());
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(service.resourceName(store))
                .withNamespace(store.getMetadata().getNamespace())
                .withLabels(StoreNames.labels(store, service.component()))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(StoreNames.selectorLabels(store, service.component()))
                .addNewPort()
                .withName("grpc")
                .withProtocol("TCP")
                .withAppProtocol("kubernetes.io/h2c")
                .withPort(StoreService.GRPC_PORT)
                .withTargetPort(new IntOrString("grpc"))
                .endPort()
                .addNewPort()
                .withName("http")
                .withProtocol("TCP")
                .withAppProtocol("http")
                .withPort(StoreService.HTTP_PORT)
                .withTargetPort(new IntOrString("http"))
                .endPort()
                .endSpec()
                .build();
    }

    /** Replicas asked for by the store, or the default. */
    public static int replicas(ServingSpec serving) {
        return serving == null || serving.getReplicas() == null
                ? DEFAULT_REPLICAS
                : serving.getReplicas();
    }

    /** One variable per entry, each from its key of the Secret, in name order. */
    private static void secretEnv(List<EnvVar> env, String secret, Map<String, String> keys) {
        keys.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(
                        e ->
                                env.add(
                                        new EnvVarBuilder()
                                                .withName(e.getKey())
                                                .withNewValueFrom()
                                                .withNewSecretKeyRef()
                                                .withName(secret)
                                                .withKey(e.getValue())
                                                .endSecretKeyRef()
                                                .endValueFrom()
                                                .build()));
    }

    /**
     * The mode (and in service-provider mode the sub-merchant) of the store's one payment
     * Deployment; the service refuses to start when they do not fit together.
     */
    private static void paymentModeEnv(List<EnvVar> env, PaymentSpec payment) {
        boolean serviceProvider = payment.getMode() == PaymentMode.SERVICE_PROVIDER;
        env.add(value(PAY_MODE_ENV, serviceProvider ? "SERVICE_PROVIDER" : "DIRECT"));
        if (payment.getMaxOrderAmountFen() != null) {
            // The payment service checks the single-order limit again, independently of the order
            // service: neither alone can be talked into a larger payment.
            env.add(value(MAX_ORDER_FEN_ENV, payment.getMaxOrderAmountFen().toString()));
        }
        if (serviceProvider) {
            env.add(value(SUB_MCH_ID_ENV, payment.getSubMchId()));
            env.add(
                    new EnvVarBuilder()
                            .withName(SUB_APP_ID_ENV)
                            .withNewValueFrom()
                            .withNewSecretKeyRef()
                            .withName(payment.getMerchantSecretRef())
                            .withKey("sub-app-id")
                            .withOptional(true)
                            .endSecretKeyRef()
                            .endValueFrom()
                            .build());
        }
    }

    private static EnvVar value(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static Container container(Store store, StoreService service, OperatorConfig config) {
        List<EnvVar> env = new ArrayList<>();
        env.add(
                new EnvVarBuilder()
                        .withName("SCANORDER_STORE")
                        .withValue(store.getMetadata().getName())
                        .build());
        List<VolumeMount> mounts = new ArrayList<>();
        mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
        if (service == StoreService.ORDER) {
            secretEnv(env, store.getSpec().getDinerSecretRef(), DINER_ENV);
            // Payments are started through the store's own payment service (same namespace).
            env.add(value("SCANORDER_PAYMENT_GRPC_HOST", StoreService.PAYMENT.resourceName(store)));
            if (config.serviceBrokerUri() != null) {
                env.add(value("SCANORDER_KITCHEN_MQTT_URI", config.serviceBrokerUri()));
                secretEnv(env, StoreNames.orderBrokerSecretName(store), ORDER_BROKER_ENV);
            }
        }
        if (service == StoreService.PAYMENT) {
            // Payment results are reported to the store's own order service.
            env.add(value("SCANORDER_ORDER_GRPC_HOST", StoreService.ORDER.resourceName(store)));
            secretEnv(env, store.getSpec().getPayment().getMerchantSecretRef(), MERCHANT_ENV);
            paymentModeEnv(env, store.getSpec().getPayment());
            // Every k<n> file of the data-key Secret is a key; new values use the current one.
            env.add(value("SCANORDER_DATA_KEYS_DIR", PaymentDataKeys.MOUNT_PATH));
            env.add(value("SCANORDER_DATA_KEY_ID", PaymentDataKeys.currentKeyId(store)));
            mounts.add(
                    new VolumeMountBuilder()
                            .withName("merchant")
                            .withMountPath(MERCHANT_MOUNT_PATH)
                            .withReadOnly(true)
                            .build());
            mounts.add(
                    new VolumeMountBuilder()
                            .withName("payment-data")
                            .withMountPath(PaymentDataKeys.MOUNT_PATH)
                            .withReadOnly(true)
                            .build());
        }
        return new ContainerBuilder()
                .withName(service.component())
                .withImage(
                        service == StoreService.ORDER ? config.orderImage() : config.paymentImage())
                .withImagePullPolicy(config.imagePullPolicy())
                .addNewPort()
                .withName("grpc")
                .withContainerPort(StoreService.GRPC_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewPort()
                .withName("http")
                .withContainerPort(StoreService.HTTP_PORT)
                .withProtocol("TCP")
                .endPort()
                .addNewEnvFrom()
                .withNewConfigMapRef()
                .withName(StoreNames.configMapName(store))
                .endConfigMapRef()
                .endEnvFrom()
                .withEnv(env)
                .withResources(resources(store, service))
                // Ready when the gRPC health service says SERVING: that is what the callers of
                // port 9000 need. Alive while the HTTP liveness checks pass, which do not depend
                // on the database, so an outage elsewhere does not restart every pod.
                .withReadinessProbe(grpcProbe())
                .withLivenessProbe(httpProbe("/q/health/live", 10, 3))
                .withStartupProbe(httpProbe("/q/health/started", 5, 30))
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withReadOnlyRootFilesystem(true)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .withVolumeMounts(mounts)
                .build();
    }

    private static List<Volume> volumes(Store store, StoreService service) {
        List<Volume> volumes = new ArrayList<>();
        // The root filesystem is read-only; Vert.x and the JVM still need a scratch directory.
        volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
        if (service == StoreService.PAYMENT) {
            VolumeBuilder merchant = new VolumeBuilder().withName("merchant");
            var secret =
                    merchant.withNewSecret()
                            .withSecretName(store.getSpec().getPayment().getMerchantSecretRef())
                            .withDefaultMode(0440);
            // Only the key files: the identifiers are passed as environment variables.
            MERCHANT_FILES.forEach(f -> secret.addNewItem().withKey(f).withPath(f).endItem());
            volumes.add(secret.endSecret().build());
            // Every key of the data-key Secret, so a key added to rotate appears as a file too.
            volumes.add(
                    new VolumeBuilder()
                            .withName("payment-data")
                            .withNewSecret()
                            .withSecretName(StoreNames.paymentDataSecretName(store))
                            .withDefaultMode(0440)
                            .endSecret()
                            .build());
        }
        return volumes;
    }

    private static ResourceRequirements resources(Store store, StoreService service) {
        ServingSpec serving = store.getSpec().getServing();
        if (service == StoreService.ORDER && serving != null && serving.getResources() != null) {
            return serving.getResources();
        }
        // Payment handles a few calls per order; the order service default suits a small store.
        boolean order = service == StoreService.ORDER;
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(order ? "250m" : "100m"))
                .addToRequests("memory", new Quantity(order ? "384Mi" : "256Mi"))
                .addToLimits("memory", new Quantity(order ? "768Mi" : "512Mi"))
                .build();
    }

    private static Probe grpcProbe() {
        return new ProbeBuilder()
                .withNewGrpc()
                .withPort(StoreService.GRPC_PORT)
                .endGrpc()
                .withPeriodSeconds(5)
                .withFailureThreshold(3)
                .withTimeoutSeconds(2)
                .build();
    }

    private static Probe httpProbe(String path, int period, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet()
                .withPath(path)
                .withPort(new IntOrString("http"))
                .endHttpGet()
                .withPeriodSeconds(period)
                .withFailureThreshold(failureThreshold)
                .withTimeoutSeconds(2)
                .build();
    }
}
