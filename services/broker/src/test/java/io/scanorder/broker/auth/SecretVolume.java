package io.scanorder.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A directory laid out and updated the way the kubelet projects a Secret: the data lives in a
 * timestamped folder, {@code ..data} links to it, each key is a link through {@code ..data}, and an
 * update writes a new folder and atomically renames a new {@code ..data} link over the old one.
 */
public final class SecretVolume {

    private final Path dir;
    private int generation;

    private SecretVolume(Path dir) {
        this.dir = dir;
    }

    public static SecretVolume create(Path dir, Map<String, String> files) throws IOException {
        Files.createDirectories(dir);
        SecretVolume volume = new SecretVolume(dir);
        volume.update(files);
        return volume;
    }

    public Path dir() {
        return dir;
    }

    /** Replaces the whole content, as the kubelet does when the Secret changes. */
    public void update(Map<String, String> files) throws IOException {
        Path previous =
                Files.isSymbolicLink(dir.resolve("..data"))
                        ? dir.resolve(Files.readSymbolicLink(dir.resolve("..data")))
                        : null;
        String name = "..2025_01_01_00_00_0" + (++generation) + ".000000001";
        Path data = Files.createDirectory(dir.resolve(name));
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(data.resolve(f.getKey()), f.getValue(), StandardCharsets.UTF_8);
        }
        Path tmp = dir.resolve("..data_tmp");
        Files.createSymbolicLink(tmp, Path.of(name));
        Files.move(tmp, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
        for (String key : files.keySet()) {
            Path link = dir.resolve(key);
            if (!Files.isSymbolicLink(link)) {
                Files.createSymbolicLink(link, Path.of("..data", key));
            }
        }
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path link : entries.toList()) {
                String n = link.getFileName().toString();
                if (!n.startsWith(".") && !files.containsKey(n)) {
                    Files.delete(link);
                }
            }
        }
        if (previous != null) {
            try (Stream<Path> old = Files.walk(previous)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
