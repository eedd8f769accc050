package io.scanorder.crds.v1alpha1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.CustomResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads examples, fixtures and the generated CRDs, and applies their schemas like an API server.
 */
final class CrdTestSupport {
    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    /** Surefire runs with the module directory as working directory. */
    static final Path EXAMPLES = Path.of("examples");

    static final Path CHECKED_IN_CRDS = Path.of("generated");
    static final String GENERATED_CRDS = "META-INF/fabric8/";

    static final Map<String, Class<? extends CustomResource<?, ?>>> MODEL =
            Map.of("Store", Store.class, "Menu", Menu.class, "KitchenDevice", KitchenDevice.class);

    private static final Map<String, String> PLURAL =
            Map.of("Store", "stores", "Menu", "menus", "KitchenDevice", "kitchendevices");

    private CrdTestSupport() {}

    static List<Path> examples() {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String yaml) {
        try {
            return YAML.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode fixture(String name) {
        try (InputStream in = resource("fixtures/" + name)) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String generatedCrdFileName(String kind) {
        return PLURAL.get(kind) + "." + ScanOrderApi.GROUP + "-v1.yml";
    }

    /** The CRD the crd-generator plugin wrote into target/classes for this build. */
    static JsonNode generatedCrd(String kind) {
        try (InputStream in = resource(GENERATED_CRDS + generatedCrdFileName(kind))) {
            return YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode openApiSchema(String kind) {
        return generatedCrd(kind).at("/spec/versions/0/schema/openAPIV3Schema");
    }

    /** Validates a manifest against its kind's openAPIV3Schema; returns "path: problem" lines. */
    static List<String> validate(JsonNode manifest) {
        JsonSchema schema =
                JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4)
                        .getSchema(openApiSchema(manifest.path("kind").asText()));
        return schema.validate(manifest).stream().map(ValidationMessage::getMessage).toList();
    }

    /**
     * Fills in schema defaults the way the API server does: only inside objects that are present,
     * recursing into properties and array items.
     */
    static JsonNode applyDefaults(JsonNode schema, JsonNode instance) {
        if (instance.isObject()) {
            ObjectNode object = (ObjectNode) instance;
            Iterator<Map.Entry<String, JsonNode>> props = schema.path("properties").fields();
            while (props.hasNext()) {
                Map.Entry<String, JsonNode> prop = props.next();
                JsonNode value = object.get(prop.getKey());
                if (value == null && prop.getValue().has("default")) {
                    object.set(prop.getKey(), prop.getValue().get("default").deepCopy());
                } else if (value != null) {
                    applyDefaults(prop.getValue(), value);
                }
            }
        } else if (instance.isArray()) {
            instance.forEach(element -> applyDefaults(schema.path("items"), element));
        }
        return instance;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = CrdTestSupport.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing on the test classpath: " + name);
        }
        return in;
    }
}
