package io.scanorder.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.api.reconciler.dependent.DependentResource;
import io.scanorder.operator.StoreReconciler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** charts/scanorder linted and rendered by the real Helm library, its output parsed and checked. */
class HelmChartIT {
    static final Path CHART = Path.of("../charts/scanorder");
    static final Path OPERATIONS = Path.of("../docs/operations.md");
    static final Path EXAMPLE_VALUES = CHART.resolve("ci/production-values.yaml");

    @Test
    void chartPassesStrictLint() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    }

    @Test
    void defaultValuesRenderOperatorRbacAndBrokerWithoutMonitoring() {
        List<GenericKubernetesResource> objects = render(null);

        assertThat(objects)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactlyInAnyOrder(
                        "ServiceAccount/scanorder-operator",
                        "ClusterRole/so-operator",
                        "ClusterRoleBinding/so-operator",
                        "Role/so-operator-leader-election",
                        "RoleBinding/so-operator-leader-election",
                        "Deployment/so-operator",
                        "StatefulSet/so-broker",
                        "Service/so-broker",
                        "Service/so-broker-headless");

        Deployment operator = typed(objects, "Deployment", Deployment.class).get(0);
        Container container = operator.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("ghcr.io/scanorder/operator:0.1.0");
        assertThat(operator.getSpec().getTemplate().getSpec().getServiceAccountName())
                .isEqualTo("scanorder-operator");
        assertThat(container.getEnv())
                .extracting(e -> e.getName() + "=" + e.getValue())
                .containsExactly(
                        "SCANORDER_IMAGE_REGISTRY=ghcr.io/scanorder",
                        "SCANORDER_IMAGE_TAG=0.1.0",
                        "SCANORDER_IMAGE_PULL_POLICY=IfNotPresent",
                        "SCANORDER_SERVICE_BROKER_URI=tcp://so-broker.scanorder-system.svc:1883",
                        "SCANORDER_LEADER_ELECTION=true",
                        "SCANORDER_LEASE_NAME=so-operator",
                        // From the downward API (the pod's namespace): no literal value.
                        "SCANORDER_LEASE_NAMESPACE=null",
                        "SCANORDER_OPERATOR_HTTP_PORT=8080",
                        "SCANORDER_MENU_RESYNC_SECONDS=60",
                        "SCANORDER_DEVICE_RESYNC_SECONDS=30");
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();

        ClusterRoleBinding binding =
                typed(objects, "ClusterRoleBinding", ClusterRoleBinding.class).get(0);
        assertThat(binding.getRoleRef().getName()).isEqualTo("so-operator");
        assertThat(binding.getSubjects())
                .singleElement()
                .satisfies(
                        s -> {
                            assertThat(s.getName()).isEqualTo("scanorder-operator");
                            assertThat(s.getNamespace()).isEqualTo("scanorder-system");
                        });
    }

    @Test
    void brokerRunsHivemqCeWithOnlyTheScanOrderExtensionAndSecretCredentials() {
        StatefulSet broker = typed(render(EXAMPLE_VALUES), "StatefulSet", StatefulSet.class).get(0);
        var pod = broker.getSpec().getTemplate().getSpec();

        Container hivemq = pod.getContainers().get(0);
        assertThat(hivemq.getImage()).isEqualTo("hivemq/hivemq-ce:2025.5");
        assertThat(hivemq.getEnv())
                .extracting(e -> e.getName() + "=" + e.getValue())
                .contains("SCANORDER_BROKER_CREDENTIALS=/etc/scanorder/broker-credentials");
        Container install = pod.getInitContainers().get(0);
        assertThat(install.getImage())
                .isEqualTo("registry.lotus-kitchen.cn/scanorder/broker-extension:0.1.0");
        // The init container and HiveMQ share an extensions folder that starts empty, so the
        // image's allow-all extension is never active.
        assertThat(install.getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/opt/hivemq/extensions"));
        assertThat(pod.getVolumes())
                .anySatisfy(
                        v -> {
                            assertThat(v.getName()).isEqualTo("extensions");
                            assertThat(v.getEmptyDir()).isNotNull();
                        })
                .anySatisfy(
                        v -> {
                            assertThat(v.getName()).isEqualTo("credentials");
                            assertThat(v.getSecret()).isNotNull();
                            assertThat(v.getSecret().getSecretName())
                                    .isEqualTo("lotus-broker-credentials");
                        });
        assertThat(broker.getSpec().getVolumeClaimTemplates())
                .singleElement()
                .satisfies(
                        pvc -> {
                            assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("ssd");
                            assertThat(
                                            pvc.getSpec()
                                                    .getResources()
                                                    .getRequests()
                                                    .get("storage")
                                                    .toString())
                                    .isEqualTo("10Gi");
                        });
        assertThat(pod.getImagePullSecrets())
                .extracting(r -> r.getName())
                .containsExactly("lotus-registry");
    }

    @Test
    void operatorRbacGrantsExactlyWhatTheReconcilersUse() throws Exception {
        ClusterRole role = typed(render(null), "ClusterRole", ClusterRole.class).get(0);
        Set<String> granted = new TreeSet<>();
        role.getRules()
                .forEach(
                        rule ->
                                rule.getApiGroups()
                                        .forEach(
                                                g ->
                                                        rule.getResources()
                                                                .forEach(
                                                                        r ->
                                                                                rule.getVerbs()
                                                                                        .forEach(
                                                                                                v ->
                                                                                                        granted
                                                                                                                .add(
                                                                                                                        g
                                                                                                                                + "|"
                                                                                                                                + r
                                                                                                                                + "|"
                                                                                                                                + v)))));

        assertThat(granted).isEqualTo(neededByTheOperator());
    }

    /**
     * Derived from the code: every dependent of StoreReconciler's workflow is created, updated and
     * watched; those with a reconcile precondition are also deleted by the operator. The reconciler
     * itself watches Stores, patches their status and records Events; the KitchenDevice
     * reconciler's needs are listed by hand.
     */
    private static Set<String> neededByTheOperator() throws Exception {
        Set<String> needed = new TreeSet<>();
        for (String verb : List.of("get", "list", "watch")) {
            needed.add("scanorder.io|stores|" + verb);
        }
        needed.add("scanorder.io|stores/status|patch");
        needed.add("|events|create");
        // MenuReconciler: watches Menus (and Stores, above), writes their status, no finalizer.
        for (String verb : List.of("get", "list", "watch")) {
            needed.add("scanorder.io|menus|" + verb);
        }
        needed.add("scanorder.io|menus/status|patch");
        // KitchenDeviceReconciler has no dependents: it reads its Secrets by name (so an issued
        // password is reused, never regenerated), and its finalizer deletes them. StoreReconciler
        // issues each order service's broker account Secrets the same way (garbage-collected).
        for (String verb : List.of("get", "list", "watch", "patch")) {
            needed.add("scanorder.io|kitchendevices|" + verb);
        }
        needed.add("scanorder.io|kitchendevices/status|patch");
        for (String verb : List.of("get", "create", "update", "delete")) {
            needed.add("|secrets|" + verb);
        }
        Object noPrecondition =
                Dependent.class.getMethod("reconcilePrecondition").getDefaultValue();
        for (Dependent dependent :
                StoreReconciler.class.getAnnotation(Workflow.class).dependents()) {
            DependentResource<?, ?> resource =
                    dependent.type().getDeclaredConstructor().newInstance();
            @SuppressWarnings("unchecked")
            Class<? extends HasMetadata> type =
                    (Class<? extends HasMetadata>) resource.resourceType();
            List<String> verbs =
                    new ArrayList<>(List.of("get", "list", "watch", "create", "update", "patch"));
            if (!dependent.reconcilePrecondition().equals(noPrecondition)) {
                verbs.add("delete");
            }
            String group = HasMetadata.getGroup(type);
            for (String verb : verbs) {
                needed.add(group + "|" + HasMetadata.getPlural(type) + "|" + verb);
            }
        }
        return needed;
    }

    @Test
    void monitoringRendersServiceMonitorRulesAndDashboard() {
        List<GenericKubernetesResource> objects = render(EXAMPLE_VALUES);

        assertThat(objects)
                .extracting(GenericKubernetesResource::getKind)
                .contains("ServiceMonitor", "PrometheusRule", "ConfigMap");
        GenericKubernetesResource monitor = only(objects, "ServiceMonitor");
        assertThat(monitor.getMetadata().getLabels())
                .containsEntry("release", "kube-prometheus-stack");
        assertThat(monitor.<String>get("spec", "endpoints", 0, "path")).isEqualTo("/q/metrics");
        assertThat(monitor.<String>get("spec", "endpoints", 0, "port")).isEqualTo("http");
        assertThat(alerts(objects))
                .extracting(a -> (String) a.get("alert"))
                .containsExactlyInAnyOrder(
                        "ScanOrderDeviceOffline",
                        "ScanOrderPrinterPaperOut",
                        "ScanOrderOutboxBacklog",
                        "ScanOrderKitchenTicketMaybePrinted",
                        "ScanOrderPaymentNotificationFailures",
                        "ScanOrderPaymentNoticesStuck",
                        "ScanOrderRefundsNotSent",
                        "ScanOrderReconciliationMismatch",
                        "ScanOrderRefundReconciliationMismatch",
                        "ScanOrderRefundRefusedByPaymentService",
                        "ScanOrderOrderLatencyHigh");
        // The example's thresholds reach the rules.
        assertThat(alerts(objects))
                .filteredOn(a -> a.get("alert").equals("ScanOrderOutboxBacklog"))
                .singleElement()
                .satisfies(a -> assertThat((String) a.get("expr")).endsWith("> 45"));

        JsonNode dashboard = dashboard(objects);
        assertThat(dashboard.get("uid").asText()).isEqualTo("scanorder-overview");
        assertThat(dashboard.get("panels")).hasSize(6);
    }

    @Test
    void everyAlertLinksToAnExistingRunbookSection() throws IOException {
        Set<String> anchors = anchors(Files.readString(OPERATIONS));

        List<Map<String, Object>> alerts = alerts(render(EXAMPLE_VALUES));
        assertThat(alerts).hasSize(11);
        for (Map<String, Object> alert : alerts) {
            @SuppressWarnings("unchecked")
            String runbook = ((Map<String, String>) alert.get("annotations")).get("runbook_url");
            assertThat(runbook)
                    .as("runbook_url of " + alert.get("alert"))
                    .startsWith(
                            "https://github.com/scanorder/scanorder/blob/main/docs/operations.md#");
            assertThat(anchors)
                    .as("section for " + alert.get("alert"))
                    .contains(runbook.substring(runbook.indexOf('#') + 1));
        }
    }

    @Test
    void everyMetricTheAlertsAndDashboardUseIsInTheDocumentedContract() throws IOException {
        String operations = Files.readString(OPERATIONS);
        List<GenericKubernetesResource> objects = render(EXAMPLE_VALUES);
        Stream<String> expressions =
                Stream.concat(
                        alerts(objects).stream().map(a -> (String) a.get("expr")),
                        dashboard(objects).findValues("expr").stream().map(JsonNode::asText));

        Set<String> metrics = new TreeSet<>();
        expressions.forEach(
                expr -> {
                    Matcher m = Pattern.compile("scanorder_[a-z0-9_]+").matcher(expr);
                    while (m.find()) {
                        metrics.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
                    }
                });

        assertThat(metrics).hasSizeGreaterThanOrEqualTo(5);
        assertThat(metrics).allSatisfy(m -> assertThat(operations).contains("`" + m + "`"));
    }

    @Test
    void chartCrdsAreTheGeneratedOnes() throws IOException {
        Path generated = Path.of("../crds/generated");
        try (Stream<Path> files = Files.list(generated)) {
            List<Path> crds = files.sorted().toList();
            assertThat(crds).hasSize(3);
            for (Path crd : crds) {
                assertThat(CHART.resolve("crds").resolve(crd.getFileName()))
                        .as("copy it: cp crds/generated/*.yml charts/scanorder/crds/")
                        .hasSameTextualContentAs(crd);
            }
        }
        try (Stream<Path> copies = Files.list(CHART.resolve("crds"))) {
            assertThat(copies).hasSize(3);
        }
    }

    @Test
    void operatorRunsTwoLeaderElectingReplicasWithProbesOnItsHttpEndpoint() {
        List<GenericKubernetesResource> objects = render(null);
        Deployment deployment =
                typed(objects, "Deployment", Deployment.class).stream()
                        .filter(d -> d.getMetadata().getName().equals("so-operator"))
                        .findFirst()
                        .orElseThrow();
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        Map<String, EnvVar> env = new HashMap<>();
        container.getEnv().forEach(e -> env.put(e.getName(), e));
        assertThat(env.get("SCANORDER_LEADER_ELECTION").getValue()).isEqualTo("true");
        assertThat(env.get("SCANORDER_LEASE_NAME").getValue()).isEqualTo("so-operator");
        assertThat(env.get("SCANORDER_LEASE_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.namespace");
        assertThat(env.get("SCANORDER_OPERATOR_HTTP_PORT").getValue()).isEqualTo("8080");
        assertThat(container.getPorts())
                .singleElement()
                .satisfies(
                        p -> {
                            assertThat(p.getName()).isEqualTo("http");
                            assertThat(p.getContainerPort()).isEqualTo(8080);
                        });
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(container.getLivenessProbe().getHttpGet().getPort().getStrVal())
                .isEqualTo("http");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");

        // The Lease the operator elects with is exactly the one the Role lets it update.
        Role role = typed(objects, "Role", Role.class).get(0);
        assertThat(role.getMetadata().getNamespace()).isEqualTo("scanorder-system");
        assertThat(role.getRules())
                .allSatisfy(
                        r -> {
                            assertThat(r.getApiGroups()).containsExactly("coordination.k8s.io");
                            assertThat(r.getResources()).containsExactly("leases");
                        });
        assertThat(role.getRules())
                .anySatisfy(
                        r -> {
                            assertThat(r.getVerbs()).containsExactly("get", "update");
                            assertThat(r.getResourceNames()).containsExactly("so-operator");
                        })
                .anySatisfy(r -> assertThat(r.getVerbs()).containsExactly("create"));
    }

    @Test
    void withoutLeaderElectionTheOperatorIsRecreatedAndGetsNoLeaseRole() {
        String yaml =
                new Helm(CHART)
                        .template()
                        .withName("so")
                        .set("operator.leaderElection.enabled", false)
                        .set("operator.replicas", 1)
                        .call();
        assertThat(yaml).doesNotContain("kind: Role\n").doesNotContain("leader-election");
        assertThat(yaml).contains("type: Recreate");
        assertThat(yaml).contains("value: \"false\"");
    }

    @Test
    void schemaRejectsNegativeReplicasAndUnknownValues() {
        assertThatThrownBy(
                        () ->
                                new Helm(CHART)
                                        .template()
                                        .withName("so")
                                        .set("operator.replicas", -1)
                                        .call())
                .hasMessageContaining("operator.replicas")
                .hasMessageContaining("greater than or equal to 0");
        assertThatThrownBy(
                        () ->
                                new Helm(CHART)
                                        .template()
                                        .withName("so")
                                        .set("broker.replicaz", 2)
                                        .call())
                .hasMessageContaining("replicaz");
    }

    /** Broker helper's method: the operator's per-device Secrets reach the broker pod. */
    @Test
    void brokerMirrorsOperatorSecretsForHotReloadAndEnrollmentWithListOnlyRbac(
            @org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        List<GenericKubernetesResource> objects = render(EXAMPLE_VALUES);
        StatefulSet broker = typed(objects, "StatefulSet", StatefulSet.class).get(0);
        var pod = broker.getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("so-broker");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(pod.getInitContainers())
                .extracting(Container::getName)
                .containsExactly("install-extension", "sync-credentials-once");
        assertThat(pod.getContainers())
                .extracting(Container::getName)
                .containsExactly("hivemq", "sync-credentials");

        Container hivemq = pod.getContainers().get(0);
        assertThat(hivemq.getEnv())
                .extracting(e -> e.getName() + "=" + e.getValue())
                .contains(
                        "SCANORDER_BROKER_CREDENTIALS=/etc/scanorder/broker-credentials",
                        "SCANORDER_BROKER_ENROLLMENTS=/etc/scanorder/enrollments");
        // HiveMQ reads the mirrored folders but holds no API token.
        assertThat(hivemq.getVolumeMounts())
                .anySatisfy(
                        m -> {
                            assertThat(m.getName()).isEqualTo("synced");
                            assertThat(m.getMountPath()).isEqualTo("/etc/scanorder");
                            assertThat(m.getReadOnly()).isTrue();
                        })
                .noneSatisfy(m -> assertThat(m.getName()).isEqualTo("sync-token"))
                .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/opt/hivemq/data"))
                .anySatisfy(
                        m -> {
                            assertThat(m.getMountPath()).isEqualTo("/opt/hivemq/conf/config.xml");
                            assertThat(m.getSubPath()).isEqualTo("config.xml");
                        });
        // the broker's own config.xml (no topic aliases) comes with the extension image
        assertThat(String.join(" ", pod.getInitContainers().get(0).getCommand()))
                .contains("cp /extension/conf/config.xml /opt/hivemq/scanorder-conf/config.xml");

        String script = Files.readString(CHART.resolve("files/broker-credential-sync.sh"));
        for (Container sync : List.of(pod.getInitContainers().get(1), pod.getContainers().get(1))) {
            assertThat(sync.getImage()).isEqualTo("registry.lotus-kitchen.cn/mirror/kubectl:1.31");
            assertThat(sync.getCommand())
                    .containsExactly("bash", "-c", script, "broker-credential-sync");
            assertThat(sync.getEnv())
                    .extracting(e -> e.getName() + "=" + e.getValue())
                    .contains("SYNC_OUT=/etc/scanorder", "SYNC_NAMESPACES=lotus-kitchen");
            assertThat(sync.getVolumeMounts())
                    .extracting(m -> m.getName() + ":" + m.getMountPath())
                    .contains(
                            "synced:/etc/scanorder",
                            "sync-token:/var/run/secrets/kubernetes.io/serviceaccount");
        }
        assertThat(script)
                .contains("scanorder.io/broker-credentials=true")
                .contains("enrollment-code-hash");
        assertThat(pod.getInitContainers().get(1).getArgs()).containsExactly("once");
        assertThat(pod.getContainers().get(1).getArgs()).containsExactly("loop");

        GenericKubernetesResource role = named(objects, "Role", "so-broker-credentials");
        assertThat(role.getMetadata().getNamespace()).isEqualTo("lotus-kitchen");
        assertThat(role.<List<Object>>get("rules")).hasSize(1);
        assertThat(role.<List<String>>get("rules", 0, "resources")).containsExactly("secrets");
        assertThat(role.<List<String>>get("rules", 0, "verbs")).containsExactly("list");
        GenericKubernetesResource binding = named(objects, "RoleBinding", "so-broker-credentials");
        assertThat(binding.<String>get("subjects", 0, "name")).isEqualTo("so-broker");
        assertThat(binding.<String>get("subjects", 0, "namespace")).isEqualTo("scanorder-system");
        assertThat(objects)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .contains("ServiceAccount/so-broker")
                .doesNotContain("ClusterRole/so-broker-credentials");

        // No namespaces listed: devices may be in any namespace, so list is granted cluster-wide.
        Path anyNamespace = tmp.resolve("values.yaml");
        Files.writeString(anyNamespace, "broker:\n  credentialSync:\n    enabled: true\n");
        List<GenericKubernetesResource> clusterWide = render(anyNamespace);
        GenericKubernetesResource clusterRole =
                clusterWide.stream()
                        .filter(o -> o.getKind().equals("ClusterRole"))
                        .filter(o -> o.getMetadata().getName().equals("so-broker-credentials"))
                        .findFirst()
                        .orElseThrow();
        assertThat(clusterRole.<List<String>>get("rules", 0, "verbs")).containsExactly("list");
        assertThat(clusterWide)
                .extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .doesNotContain("Role/so-broker-credentials", "RoleBinding/so-broker-credentials");
    }

    private static List<GenericKubernetesResource> render(Path values) {
        var template = new Helm(CHART).template().withName("so").withNamespace("scanorder-system");
        if (values != null) {
            template.withValuesFile(values);
        }
        String yaml = template.call();
        List<GenericKubernetesResource> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            boolean empty = document.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("#"));
            if (!empty) {
                objects.add(Serialization.unmarshal(document, GenericKubernetesResource.class));
            }
        }
        assertThat(objects).allSatisfy(o -> assertThat(o.getKind()).isNotBlank());
        return objects;
    }

    private static <T> List<T> typed(
            List<GenericKubernetesResource> objects, String kind, Class<T> type) {
        return objects.stream()
                .filter(o -> o.getKind().equals(kind))
                .map(o -> Serialization.unmarshal(Serialization.asYaml(o), type))
                .toList();
    }

    /** The one object of {@code kind} called {@code name} (other components have Roles too). */
    private static GenericKubernetesResource named(
            List<GenericKubernetesResource> objects, String kind, String name) {
        return only(
                objects.stream().filter(o -> o.getMetadata().getName().equals(name)).toList(),
                kind);
    }

    private static GenericKubernetesResource only(
            List<GenericKubernetesResource> objects, String kind) {
        List<GenericKubernetesResource> matching =
                objects.stream().filter(o -> o.getKind().equals(kind)).toList();
        assertThat(matching).hasSize(1);
        return matching.get(0);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alerts(List<GenericKubernetesResource> objects) {
        List<Map<String, Object>> groups = only(objects, "PrometheusRule").get("spec", "groups");
        return groups.stream()
                .flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
                .toList();
    }

    private static JsonNode dashboard(List<GenericKubernetesResource> objects) {
        GenericKubernetesResource configMap =
                objects.stream()
                        .filter(o -> o.getKind().equals("ConfigMap"))
                        .filter(o -> o.getMetadata().getName().equals("so-dashboard"))
                        .findFirst()
                        .orElseThrow();
        assertThat(configMap.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");
        try {
            return Serialization.jsonMapper()
                    .readTree(configMap.<String>get("data", "scanorder.json"));
        } catch (IOException e) {
            throw new AssertionError("dashboard is not JSON", e);
        }
    }

    /** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
    static Set<String> anchors(String markdown) {
        return markdown.lines()
                .filter(l -> l.startsWith("#"))
                .map(l -> l.replaceFirst("^#+\\s*", "").trim().toLowerCase())
                .map(h -> h.replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
                .collect(Collectors.toSet());
    }
}
