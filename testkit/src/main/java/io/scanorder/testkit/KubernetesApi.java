package io.scanorder.testkit;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kubernetes API for tests and local mode: the fabric8 mock server in CRUD mode (objects are
 * stored, listed, patched and watched; no controllers run) on a free loopback port.
 *
 * <p>Most tests share one server per JVM through {@link #shared()} and isolate themselves with
 * {@link #newNamespace()}. Custom resources behave like on a real server (status subresource,
 * namespaced scope) once their CustomResourceDefinition has been created through {@link #client()}.
 */
public final class KubernetesApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesApi.class);
    private static KubernetesApi shared;

    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private KubernetesApi(KubernetesMockServer server) {
        this.server = server;
        this.client = server.createClient();
    }

    /** Starts a new, empty API server on a free port; the caller closes it. */
    public static KubernetesApi start() {
        KubernetesMockServer server =
                new KubernetesMockServer(
                        new Context(),
                        new MockWebServer(),
                        new HashMap<>(),
                        new KubernetesCrudDispatcher(),
                        false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        KubernetesApi api = new KubernetesApi(server);
        LOG.info("Mock Kubernetes API (CRUD mode) listening on {}", api.url());
        return api;
    }

    /** The API server shared by every test of this JVM, started on first use. */
    public static synchronized KubernetesApi shared() {
        if (shared == null) {
            KubernetesApi api = start();
            Runtime.getRuntime().addShutdownHook(new Thread(api::close, "kubernetes-api-shutdown"));
            shared = api;
        }
        return shared;
    }

    /** A client for this server; closed with it. Do not close it yourself when shared. */
    public KubernetesClient client() {
        return client;
    }

    /** Base URL of the API, e.g. {@code http://127.0.0.1:41234/}. */
    public String url() {
        return server.url("/");
    }

    /** Creates a namespace with a random name, so tests sharing the server do not collide. */
    public String newNamespace() {
        String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
        client.namespaces()
                .resource(
                        new NamespaceBuilder()
                                .withNewMetadata()
                                .withName(name)
                                .endMetadata()
                                .build())
                .create();
        return name;
    }

    @Override
    public void close() {
        client.close();
        server.destroy();
    }
}
