package io.scanorder.crds.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The CRDs checked in under crds/generated (installed by the Helm chart and read by the operator
 * tests) must equal what this build generates from the model classes.
 */
class GeneratedCrdsUpToDateTest {
    static final String REFRESH = "./mvnw -B -pl crds -Prefresh-crds process-classes";

    @Test
    void checkedInCrdsMatchTheGeneratedOnes() throws IOException {
        for (String kind : CrdTestSupport.MODEL.keySet()) {
            String file = CrdTestSupport.generatedCrdFileName(kind);
            Path checkedIn = CrdTestSupport.CHECKED_IN_CRDS.resolve(file);
            String generated = generated(file);

            assertThat(checkedIn)
                    .as("crds/generated/%s is missing; create it with: %s", file, REFRESH)
                    .exists();
            assertThat(Files.readString(checkedIn))
                    .as(
                            "crds/generated/%s differs from the CRD generated from the model;"
                                    + " refresh the checked-in copy with: %s",
                            file, REFRESH)
                    .isEqualTo(generated);
        }
    }

    @Test
    void noStaleCrdIsCheckedIn() throws IOException {
        try (Stream<Path> files = Files.list(CrdTestSupport.CHECKED_IN_CRDS)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("files in crds/generated that no model class generates; delete them")
                    .containsExactlyInAnyOrderElementsOf(
                            CrdTestSupport.MODEL.keySet().stream()
                                    .map(CrdTestSupport::generatedCrdFileName)
                                    .toList());
        }
    }

    private static String generated(String file) throws IOException {
        try (InputStream in =
                GeneratedCrdsUpToDateTest.class
                        .getClassLoader()
                        .getResourceAsStream(CrdTestSupport.GENERATED_CRDS + file)) {
            assertThat(in)
                    .as(
                            "target/classes/%s%s was not generated",
                            CrdTestSupport.GENERATED_CRDS, file)
                    .isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
