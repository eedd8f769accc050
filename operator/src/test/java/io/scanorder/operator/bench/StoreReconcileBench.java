package io.scanorder.operator.bench;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import io.scanorder.crds.v1alpha1.ConditionStatus;
import io.scanorder.crds.v1alpha1.ConditionType;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.OperatorMain;
import io.scanorder.testkit.KubernetesApi;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Benchmark, not a test: the real operator against a fresh mock API server, N Stores created at
 * once (default 1,000), timed until each has been reconciled (status observedGeneration current and
 * ConfigReady True, i.e. every dependent applied). Prints total and per-store latency.
 *
 * <p>Run: {@code ./mvnw -B -pl operator -am -Pbench test-compile} (see docs/operations.md); {@code
 * -Dbench.stores=N} changes the count.
 */
public final class StoreReconcileBench {
    private StoreReconcileBench() {}

    public static void main(String[] args) throws Exception {
        int count = Integer.getInteger("bench.stores", 1000);
        Duration limit = Duration.ofMinutes(Long.getLong("bench.timeoutMinutes", 15));
        try (KubernetesApi api = KubernetesApi.start()) {
            KubernetesClient client = api.client();
            for (String crd :
                    List.of(
                            "stores.scanorder.io-v1.yml",
                            "menus.scanorder.io-v1.yml",
                            "kitchendevices.scanorder.io-v1.yml")) {
                try (InputStream in =
                        StoreReconcileBench.class
                                .getClassLoader()
                                .getResourceAsStream("META-INF/fabric8/" + crd)) {
                    client.apiextensions()
                            .v1()
                            .customResourceDefinitions()
                            .resource(Serialization.unmarshal(in, CustomResourceDefinition.class))
                            .create();
                }
            }
            String ns = api.newNamespace();
            Store template =
                    Serialization.unmarshal(
                            Files.readString(Path.of("../crds/examples/store-jingan.yaml")),
                            Store.class);

            Map<String, Long> created = new ConcurrentHashMap<>();
            Map<String, Long> reconciled = new ConcurrentHashMap<>();
            SharedIndexInformer<Store> watch =
                    client.resources(Store.class)
                            .inNamespace(ns)
                            .inform(
                                    new ResourceEventHandler<>() {
                                        @Override
                                        public void onAdd(Store s) {
                                            seen(s);
                                        }

                                        @Override
                                        public void onUpdate(Store before, Store s) {
                                            seen(s);
                                        }

                                        @Override
                                        public void onDelete(Store s, boolean unknown) {}

                                        private void seen(Store s) {
                                            if (done(s)) {
                                                reconciled.putIfAbsent(
                                                        s.getMetadata().getName(),
                                                        System.nanoTime());
                                            }
                                        }
                                    });

            // The mock API server does not speak server-side apply (see StoreReconcilerIT).
            Operator operator =
                    OperatorMain.create(
                            client,
                            Clock.systemUTC(),
                            o ->
                                    o.withUseSSAToPatchPrimaryResource(false)
                                            .withSSABasedCreateUpdateMatchForDependentResources(
                                                    false)
                                            .withCloseClientOnStop(false));
            operator.start();

            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                Store store = Serialization.clone(template);
                String name = "store-" + i;
                store.getMetadata().setName(name);
                store.getMetadata().setNamespace(ns);
                store.getSpec().setStoreCode(String.format("%03d", i % 1000));
                created.put(name, System.nanoTime());
                client.resource(store).create();
            }
            long createdAll = System.nanoTime();
            long deadline = start + limit.toNanos();
            while (reconciled.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long end = System.nanoTime();
            operator.stop();
            watch.close();

            List<Long> latencies = new ArrayList<>();
            reconciled.forEach((name, at) -> latencies.add(at - created.get(name)));
            latencies.sort(Long::compare);
            System.out.printf(
                    "%nStoreReconcileBench: %d of %d Stores reconciled (%d dependents each)%n",
                    reconciled.size(), count, 9);
            System.out.printf("  creating them took      %8.1f s%n", (createdAll - start) / 1e9);
            System.out.printf(
                    "  until the last was done %8.1f s%n",
                    ((reconciled.isEmpty()
                                            ? end
                                            : reconciled.values().stream()
                                                    .max(Long::compare)
                                                    .orElseThrow())
                                    - start)
                            / 1e9);
            if (!latencies.isEmpty()) {
                System.out.printf(
                        "  per store (create -> reconciled): median %.0f ms, p95 %.0f ms, max %.0f"
                                + " ms%n",
                        latencies.get(latencies.size() / 2) / 1e6,
                        latencies.get((int) (latencies.size() * 0.95)) / 1e6,
                        latencies.get(latencies.size() - 1) / 1e6);
            }
            if (reconciled.size() < count) {
                System.out.printf("  gave up after %s%n", limit);
                System.exit(1);
            }
        }
        // Non-daemon threads of the informers would keep the JVM alive.
        System.exit(0);
    }

    private static boolean done(Store s) {
        return s.getStatus() != null
                && s.getStatus().getObservedGeneration() != null
                && s.getStatus().getObservedGeneration().equals(s.getMetadata().getGeneration())
                && s.getStatus().getConditions().stream()
                        .anyMatch(
                                c ->
                                        ConditionType.CONFIG_READY.equals(c.getType())
                                                && c.getStatus() == ConditionStatus.True);
    }
}
