package io.scanorder.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The shared mock API server stores, lists, patches and watches objects like a real one. */
class KubernetesApiIT {
    private final KubernetesApi api = KubernetesApi.shared();
    private final KubernetesClient client = api.client();

    @Test
    void sharedServerIsStartedOnceOnALoopbackPort() {
        assertThat(KubernetesApi.shared()).isSameAs(api);
        assertThat(java.net.URI.create(api.url()).getPort()).isPositive();
        assertThat(client.getMasterUrl().toString()).isEqualTo(api.url());
        assertThat(api.newNamespace()).isNotEqualTo(api.newNamespace());
    }

    @Test
    void configMapsAreCreatedListedPatchedAndDeletedPerNamespace() {
        String ns = api.newNamespace();
        String other = api.newNamespace();
        client.configMaps()
                .inNamespace(ns)
                .resource(configMap("store-021", Map.of("timezone", "Asia/Shanghai")))
                .create();
        client.configMaps()
                .inNamespace(other)
                .resource(configMap("store-022", Map.of("timezone", "UTC")))
                .create();

        assertThat(client.configMaps().inNamespace(ns).list().getItems())
                .extracting(c -> c.getMetadata().getName())
                .containsExactly("store-021");

        ConfigMap patched =
                client.configMaps()
                        .inNamespace(ns)
                        .withName("store-021")
                        .edit(
                                c ->
                                        new ConfigMapBuilder(c)
                                                .addToData("orderTimeout", "15m")
                                                .build());
        assertThat(patched.getData())
                .containsEntry("timezone", "Asia/Shanghai")
                .containsEntry("orderTimeout", "15m");
        assertThat(client.configMaps().inNamespace(ns).withName("store-021").get().getData())
                .containsEntry("orderTimeout", "15m");

        client.configMaps().inNamespace(ns).withName("store-021").delete();
        await().atMost(Duration.ofSeconds(5))
                .until(
                        () ->
                                client.configMaps().inNamespace(ns).withName("store-021").get()
                                        == null);
        assertThat(client.configMaps().inNamespace(other).withName("store-022").get()).isNotNull();
    }

    @Test
    void customResourceStatusIsPatchedThroughTheStatusSubresourceAndWatched() throws Exception {
        client.apiextensions()
                .v1()
                .customResourceDefinitions()
                .resource(gadgetCrd())
                .createOr(r -> r.update());
        ResourceDefinitionContext gadgets =
                new ResourceDefinitionContext.Builder()
                        .withGroup("test.scanorder.io")
                        .withVersion("v1")
                        .withKind("Gadget")
                        .withPlural("gadgets")
                        .withNamespaced(true)
                        .build();
        String ns = api.newNamespace();
        List<String> events = new CopyOnWriteArrayList<>();
        try (var watch =
                client.genericKubernetesResources(gadgets)
                        .inNamespace(ns)
                        .watch(
                                new Watcher<>() {
                                    @Override
                                    public void eventReceived(
                                            Action action, GenericKubernetesResource resource) {
                                        events.add(action + " " + resource.getMetadata().getName());
                                    }

                                    @Override
                                    public void onClose(WatcherException cause) {}
                                })) {
            GenericKubernetesResource gadget =
                    new GenericKubernetesResourceBuilder()
                            .withApiVersion("test.scanorder.io/v1")
                            .withKind("Gadget")
                            .withNewMetadata()
                            .withName("g1")
                            .withNamespace(ns)
                            .endMetadata()
                            .addToAdditionalProperties("spec", Map.of("size", 3))
                            .build();
            client.genericKubernetesResources(gadgets).inNamespace(ns).resource(gadget).create();

            client.genericKubernetesResources(gadgets)
                    .inNamespace(ns)
                    .withName("g1")
                    .subresource("status")
                    .patch(
                            PatchContext.of(PatchType.JSON_MERGE),
                            "{\"status\":{\"phase\":\"Online\"}}");

            GenericKubernetesResource stored =
                    client.genericKubernetesResources(gadgets).inNamespace(ns).withName("g1").get();
            assertThat(stored.<String>get("status", "phase")).isEqualTo("Online");
            assertThat(stored.<Integer>get("spec", "size")).isEqualTo(3);
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> assertThat(events).contains("ADDED g1", "MODIFIED g1"));
        }
    }

    private static ConfigMap configMap(String name, Map<String, String> data) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withData(data)
                .build();
    }

    private static CustomResourceDefinition gadgetCrd() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata()
                .withName("gadgets.test.scanorder.io")
                .endMetadata()
                .withNewSpec()
                .withGroup("test.scanorder.io")
                .withScope("Namespaced")
                .withNewNames()
                .withKind("Gadget")
                .withPlural("gadgets")
                .withSingular("gadget")
                .endNames()
                .addNewVersion()
                .withName("v1")
                .withServed(true)
                .withStorage(true)
                .withNewSubresources()
                .withNewStatus()
                .endStatus()
                .endSubresources()
                .endVersion()
                .endSpec()
                .build();
    }
}
