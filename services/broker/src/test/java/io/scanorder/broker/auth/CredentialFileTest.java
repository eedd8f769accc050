package io.scanorder.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.broker.topic.Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialFileTest {

    private static String line(Principal p, String password) {
        return CredentialFile.format(
                new Credential(p, PasswordHash.create(password.toCharArray(), 1_000)));
    }

    @Test
    void formatsAndParsesDeviceAndServiceLines() {
        String device = line(Principal.device("001", "hot-printer-1"), "pw1");
        String service = line(Principal.service("order-service"), "pw2");
        assertThat(device).startsWith("hot-printer-1:device:001:pbkdf2-sha256$1000$");
        assertThat(service).startsWith("order-service:service:-:pbkdf2-sha256$1000$");

        List<Credential> parsed =
                CredentialFile.parse(List.of("# comment", "", device, "  " + service), "test");
        assertThat(parsed)
                .extracting(Credential::principal)
                .containsExactly(
                        Principal.device("001", "hot-printer-1"),
                        Principal.service("order-service"));
        assertThat(parsed.get(0).passwordHash().matches("pw1".toCharArray())).isTrue();
        assertThat(parsed.get(1).passwordHash().matches("pw2".toCharArray())).isTrue();
    }

    @Test
    void errorsNameSourceLineAndField() {
        String hash = PasswordHash.create("x".toCharArray(), 1_000).encode();
        assertThatThrownBy(() -> CredentialFile.parse(List.of("#", "A:device:001"), "creds.txt"))
                .hasMessage(
                        "creds.txt line 2: expected 4 ':'-separated fields"
                                + " username:role:store:hash but found 3");
        assertThatThrownBy(() -> CredentialFile.parse(List.of("A:admin:001:" + hash), "f"))
                .hasMessageContaining(
                        "f line 1: role of 'A' must be 'device' or 'service' but was 'admin'");
        assertThatThrownBy(() -> CredentialFile.parse(List.of("A:device:1:" + hash), "f"))
                .hasMessageContaining(
                        "f line 1: device 'A' needs a 3-digit store code but has '1'");
        assertThatThrownBy(() -> CredentialFile.parse(List.of("svc:service:001:" + hash), "f"))
                .hasMessageContaining("store of service account 'svc' must be '-' but was '001'");
        assertThatThrownBy(() -> CredentialFile.parse(List.of("A+:device:001:" + hash), "f"))
                .hasMessageContaining("valid device id");
        assertThatThrownBy(() -> CredentialFile.parse(List.of("A:device:001:secret"), "f"))
                .hasMessageContaining("f line 1: hash of 'A': password hash must look like");
    }

    @Test
    void loadsADirectoryOfPerDeviceFilesSkippingDotEntries(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("hot-printer-1"),
                line(Principal.device("001", "hot-printer-1"), "a") + "\n");
        Files.writeString(
                dir.resolve("order-service"), line(Principal.service("order-service"), "b"));
        // Kubernetes projected volumes carry ..data links and timestamped dot folders
        Files.createDirectory(dir.resolve("..2024_01_01"));
        Files.writeString(dir.resolve(".hidden"), "garbage that would not parse");

        InMemoryCredentialStore store = CredentialFile.load(dir);

        assertThat(store.all()).hasSize(2);
        assertThat(store.find("hot-printer-1").orElseThrow().principal().storeCode())
                .isEqualTo("001");
        assertThat(store.find("nobody")).isEmpty();
    }

    @Test
    void missingPathIsReported(@TempDir Path dir) {
        assertThatThrownBy(() -> CredentialFile.load(dir.resolve("nope")))
                .hasMessageContaining("nope is neither a file nor a directory");
    }
}
