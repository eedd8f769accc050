package io.scanorder.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What local mode reads from crds/examples, and how it refuses a folder it cannot run. */
class ExampleManifestsTest {
    private static final Path EXAMPLES = Path.of(System.getProperty("scanorder.examples.dir"));

    @Test
    void theExamplesDeclareOneStoreItsMenuAndFourKitchenDevices() throws IOException {
        ExampleManifests examples = ExampleManifests.load(EXAMPLES);

        assertThat(examples.storeCode()).isEqualTo("021");
        assertThat(examples.menu().getMetadata().getName()).isEqualTo("sichuan-classics");
        assertThat(examples.devices())
                .extracting(d -> d.getMetadata().getName())
                .containsExactly(
                        "jingan-kds-cold",
                        "jingan-led-pickup",
                        "jingan-printer-backup",
                        "jingan-printer-hot-1");
    }

    @Test
    void aDeviceOfAnotherStoreIsRefusedNamingTheDeviceAndField(@TempDir Path dir)
            throws IOException {
        copyExamples(dir);
        Path device = dir.resolve("kitchendevice-led-pickup.yaml");
        Files.writeString(
                device, Files.readString(device).replace("storeRef: jingan", "storeRef: pudong"));

        assertThatThrownBy(() -> ExampleManifests.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("KitchenDevice jingan-led-pickup")
                .hasMessageContaining("spec.storeRef 'pudong'");
    }

    @Test
    void aStoreWhoseMenuIsMissingIsRefusedNamingMenuRef(@TempDir Path dir) throws IOException {
        copyExamples(dir);
        Files.delete(dir.resolve("menu-sichuan-classics.yaml"));

        assertThatThrownBy(() -> ExampleManifests.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spec.menuRef 'sichuan-classics'");
    }

    @Test
    void anUnknownKindIsRefusedNamingTheFile(@TempDir Path dir) throws IOException {
        copyExamples(dir);
        Files.writeString(
                dir.resolve("zz-configmap.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");

        assertThatThrownBy(() -> ExampleManifests.load(dir))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zz-configmap.yaml")
                .hasMessageContaining("kind 'ConfigMap'");
    }

    private static void copyExamples(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
    }
}
