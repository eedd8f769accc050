package io.scanorder.order.diner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class StatelessTokensTest {
    private static final byte[] KEY =
            "unit-test-signing-key-of-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-11-26T01:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(7200);

    private final StatelessTokens tokens = new StatelessTokens(KEY);

    @Test
    void signedTokenVerifiesToItsOpenidAndExpiry() {
        String token = tokens.sign("oDiner0001", LATER);

        assertThat(token).startsWith(StatelessTokens.PREFIX);
        assertThat(tokens.verify(token, NOW))
                .contains(new StatelessTokens.Claims("oDiner0001", LATER));
    }

    @Test
    void expiredTokenIsRefused() {
        String token = tokens.sign("oDiner0001", LATER);

        assertThat(tokens.verify(token, LATER)).isEmpty();
        assertThat(tokens.verify(token, LATER.plusSeconds(1))).isEmpty();
        assertThat(tokens.verify(token, LATER.minusSeconds(1))).isPresent();
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefused() {
        StatelessTokens other =
                new StatelessTokens(
                        "another-signing-key-of-32-bytes!!!".getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.verify(other.sign("oDiner0001", LATER), NOW)).isEmpty();
    }

    @Test
    void alteredPayloadIsRefused() {
        String token = tokens.sign("oDiner0001", LATER);
        String[] parts = token.split("\\.");
        String forgedPayload =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                (LATER.plusSeconds(86400).getEpochSecond() + ":oDiner0001")
                                        .getBytes(StandardCharsets.UTF_8));
        String otherUser =
                Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(
                                (LATER.getEpochSecond() + ":oDiner0002")
                                        .getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.verify(parts[0] + "." + forgedPayload + "." + parts[2], NOW)).isEmpty();
        assertThat(tokens.verify(parts[0] + "." + otherUser + "." + parts[2], NOW)).isEmpty();
    }

    @Test
    void malformedTokensAreRefusedNotThrown() {
        assertThat(tokens.verify(null, NOW)).isEmpty();
        assertThat(tokens.verify("", NOW)).isEmpty();
        assertThat(tokens.verify("st1.", NOW)).isEmpty();
        assertThat(tokens.verify("st1.!!!.???", NOW)).isEmpty();
        assertThat(tokens.verify("opaqueTokenWithoutDots", NOW)).isEmpty();
        String token = tokens.sign("oDiner0001", LATER);
        assertThat(tokens.verify(token.substring(0, token.length() - 2), NOW)).isEmpty();
    }

    @Test
    void shortKeyIsRefusedWithTheSettingName() {
        assertThatThrownBy(() -> new StatelessTokens(new byte[16]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("scanorder.diner.sessions.signing-key")
                .hasMessageContaining("16");
    }
}
