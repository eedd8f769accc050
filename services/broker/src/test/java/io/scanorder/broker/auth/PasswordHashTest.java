package io.scanorder.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void matchesOnlyTheOriginalPassword() {
        PasswordHash hash = PasswordHash.create("s3cret".toCharArray(), 1_000);
        assertThat(hash.matches("s3cret".toCharArray())).isTrue();
        assertThat(hash.matches("s3cret ".toCharArray())).isFalse();
        assertThat(hash.matches("".toCharArray())).isFalse();
    }

    @Test
    void saltMakesEqualPasswordsHashDifferently() {
        PasswordHash a = PasswordHash.create("same".toCharArray(), 1_000);
        PasswordHash b = PasswordHash.create("same".toCharArray(), 1_000);
        assertThat(a.encode()).isNotEqualTo(b.encode());
    }

    @Test
    void encodedFormRoundTripsAndKeepsIterations() {
        PasswordHash hash = PasswordHash.create("pw".toCharArray(), 1_234);
        String encoded = hash.encode();
        assertThat(encoded)
                .startsWith("pbkdf2-sha256$1234$")
                .doesNotContain(":")
                .doesNotContain("=");
        PasswordHash parsed = PasswordHash.parse(encoded);
        assertThat(parsed).isEqualTo(hash);
        assertThat(parsed.iterations()).isEqualTo(1_234);
        assertThat(parsed.matches("pw".toCharArray())).isTrue();
    }

    @Test
    void knownVectorVerifies() {
        // PBKDF2-HMAC-SHA256("password", salt "saltsalt", 1000 iterations, 32 bytes), computed
        // independently with Python's hashlib.pbkdf2_hmac.
        PasswordHash hash =
                PasswordHash.parse(
                        "pbkdf2-sha256$1000$c2FsdHNhbHQ$"
                                + "E196ZhRPzw+wA84EjzHwJO1cv/MFJdO6C/sxmUeTYqY");
        assertThat(hash.matches("password".toCharArray())).isTrue();
    }

    @Test
    void malformedHashesNameTheProblem() {
        assertThatThrownBy(() -> PasswordHash.parse("plain"))
                .hasMessageContaining("'$'-separated parts");
        assertThatThrownBy(() -> PasswordHash.parse("md5$1000$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"))
                .hasMessageContaining("unsupported password hash scheme 'md5'");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$many$c2FsdHNhbHQ$aGFzaA"))
                .hasMessageContaining("iterations must be a number but was 'many'");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$10$c2FsdHNhbHQ$aGFzaA"))
                .hasMessageContaining("between 1000 and");
        assertThatThrownBy(() -> PasswordHash.parse("pbkdf2-sha256$1000$!!$aGFzaA"))
                .hasMessageContaining("salt is not valid Base64");
    }
}
