package io.scanorder.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.scanorder.crds.v1alpha1.KitchenDevice;
import io.scanorder.crds.v1alpha1.Menu;
import io.scanorder.crds.v1alpha1.Store;
import io.scanorder.operator.model.MenuValidation;
import io.scanorder.operator.model.StoreValidation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The store, its menu and its kitchen devices as the example manifests in {@code crds/examples}
 * declare them, parsed with the CR model classes and checked with the operator's own validation, so
 * local mode runs exactly what {@code kubectl apply -f crds/examples} would.
 *
 * @param store the one Store
 * @param menu the Menu the store's {@code spec.menuRef} names
 * @param devices the KitchenDevices whose {@code spec.storeRef} names the store, by name
 */
public record ExampleManifests(Store store, Menu menu, List<KitchenDevice> devices) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public ExampleManifests {
        devices = List.copyOf(devices);
    }

    /**
     * Reads every {@code *.yaml} in {@code dir}.
     *
     * @throws IllegalArgumentException naming the file and field when a manifest is unusable
     */
    public static ExampleManifests load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(
                    "example manifests folder " + dir + " does not exist (expected crds/examples)");
        }
        List<Path> files;
        try (Stream<Path> listed = Files.list(dir)) {
            files =
                    listed.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                            .sorted(Comparator.comparing(Path::toString))
                            .toList();
        }
        List<Store> stores = new ArrayList<>();
        List<Menu> menus = new ArrayList<>();
        List<KitchenDevice> devices = new ArrayList<>();
        for (Path file : files) {
            String yaml = Files.readString(file);
            JsonNode tree = YAML.readTree(yaml);
            String kind = tree == null ? "" : tree.path("kind").asText();
            try {
                switch (kind) {
                    case "Store" -> stores.add(Serialization.unmarshal(yaml, Store.class));
                    case "Menu" -> menus.add(Serialization.unmarshal(yaml, Menu.class));
                    case "KitchenDevice" ->
                            devices.add(Serialization.unmarshal(yaml, KitchenDevice.class));
                    default ->
                            throw new IllegalArgumentException(
                                    "kind '" + kind + "' is not Store, Menu or KitchenDevice");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
            }
        }
        if (stores.size() != 1) {
            throw new IllegalArgumentException(
                    dir + ": local mode runs exactly one Store, found " + stores.size());
        }
        Store store = stores.get(0);
        try {
            StoreValidation.requireValid(store.getSpec());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    dir + ": Store " + store.getMetadata().getName() + ": " + e.getMessage(), e);
        }
        String menuRef = store.getSpec().getMenuRef();
        Menu menu =
                menus.stream()
                        .filter(m -> m.getMetadata().getName().equals(menuRef))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                dir
                                                        + ": Store spec.menuRef '"
                                                        + menuRef
                                                        + "' names no Menu in the folder"));
        List<String> violations = MenuValidation.violations(menu.getSpec(), List.of(store));
        if (!violations.isEmpty()) {
            throw new IllegalArgumentException(
                    dir + ": Menu " + menuRef + " is invalid: " + String.join("; ", violations));
        }
        String storeName = store.getMetadata().getName();
        for (KitchenDevice device : devices) {
            if (!Objects.equals(device.getSpec().getStoreRef(), storeName)) {
                throw new IllegalArgumentException(
                        dir
                                + ": KitchenDevice "
                                + device.getMetadata().getName()
                                + " spec.storeRef '"
                                + device.getSpec().getStoreRef()
                                + "' is not the Store '"
                                + storeName
                                + "'");
            }
        }
        return new ExampleManifests(
                store,
                menu,
                devices.stream()
                        .sorted(Comparator.comparing(d -> d.getMetadata().getName()))
                        .toList());
    }

    /** The store's 3-digit code. */
    public String storeCode() {
        return store.getSpec().getStoreCode();
    }
}
