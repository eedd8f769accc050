package io.scanorder.order.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** The signed scene: its length and alphabet, and each way a scene is refused. */
class TableSceneTest {
    /** Characters wxacode.getUnlimited allows in a scene. */
    private static final String WECHAT_SCENE_ALPHABET =
            "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$&'()*+,/:;=?@-._~";

    private final TableKey key1 = TableKey.generate(1);
    private final TableKey key2 = TableKey.generate(2);
    private final TableKey key3 = TableKey.generate(3);
    private final TableCode code = TableCode.of("123", "0001", 12);

    @Test
    void everySceneFitsTheMiniProgramLimitAndAlphabet() {
        Random random = new Random(7);
        for (int store = 0; store < 1000; store++) {
            for (int k = 0; k < 20; k++) {
                TableCode c =
                        TableCode.of(
                                String.format("%03d", store),
                                String.format("%04d", random.nextInt(10_000)),
                                1 + random.nextInt(9999));
                TableKey key = k < 2 ? key1 : TableKey.generate(1 + random.nextInt(500));
                String scene = TableScene.sign(c, key);
                assertThat(scene).hasSize(TableScene.LENGTH).hasSizeLessThanOrEqualTo(32);
                for (char ch : scene.toCharArray()) {
                    assertThat(WECHAT_SCENE_ALPHABET).as("scene %s", scene).contains("" + ch);
                }
                assertThat(scene).startsWith(c.digits() + ".");
                TableScene.verify(TableScene.parse(scene), List.of(key));
            }
        }
    }

    @Test
    void signedSceneParsesAndVerifies() {
        String scene = TableScene.sign(code, key1);
        TableScene.Parsed parsed = TableScene.parse(scene);
        assertThat(parsed.code()).isEqualTo(code);
        assertThatCode(() -> TableScene.verify(parsed, List.of(key1))).doesNotThrowAnyException();
    }

    @Test
    void everyAlteredSignatureCharacterIsRefusedAsTampered() {
        String scene = TableScene.sign(code, key1);
        for (int i = TableScene.LENGTH - TableScene.SIGNATURE_CHARS; i < scene.length(); i++) {
            char[] chars = scene.toCharArray();
            chars[i] = chars[i] == 'A' ? 'B' : 'A';
            String tampered = new String(chars);
            assertRefused(
                    () -> TableScene.verify(TableScene.parse(tampered), List.of(key1)),
                    TableCodeError.TABLE_CODE_SIGNATURE);
        }
    }

    @Test
    void otherTableWithValidCheckDigitButCopiedSignatureIsRefusedAsTampered() {
        String scene = TableScene.sign(code, key1);
        // Someone changes the table number and recomputes the public check digit.
        String forged =
                TableCode.of("123", "0001", 13).digits() + scene.substring(TableCode.LENGTH);
        assertRefused(
                () -> TableScene.verify(TableScene.parse(forged), List.of(key1)),
                TableCodeError.TABLE_CODE_SIGNATURE);
    }

    @Test
    void sceneSignedWithAnotherStoresSecretIsRefused() {
        TableKey otherStoreKey = TableKey.generate(1);
        String scene = TableScene.sign(code, otherStoreKey);
        assertRefused(
                () -> TableScene.verify(TableScene.parse(scene), List.of(key1)),
                TableCodeError.TABLE_CODE_SIGNATURE);
    }

    @Test
    void mistypedDigitIsRefusedAsCheckDigitBeforeTheSignatureIsLookedAt() {
        String scene = TableScene.sign(code, key1);
        char[] chars = scene.toCharArray();
        chars[5] = chars[5] == '0' ? '1' : '0';
        assertRefused(
                () -> TableScene.parse(new String(chars)), TableCodeError.TABLE_CODE_CHECK_DIGIT);
    }

    @Test
    void previousKeyIsAcceptedAfterOneRotationButNotAfterTwo() {
        String printedWithKey1 = TableScene.sign(code, key1);
        TableScene.Parsed parsed = TableScene.parse(printedWithKey1);
        assertThatCode(() -> TableScene.verify(parsed, List.of(key2, key1)))
                .doesNotThrowAnyException();
        assertRefused(
                () -> TableScene.verify(parsed, List.of(key3, key2)),
                TableCodeError.TABLE_CODE_KEY_RETIRED);
        assertThatCode(
                        () ->
                                TableScene.verify(
                                        TableScene.parse(TableScene.sign(code, key3)),
                                        List.of(key3, key2)))
                .doesNotThrowAnyException();
    }

    @Test
    void malformedScenesSayWhatIsWrongAndWhere() {
        String scene = TableScene.sign(code, key1);
        assertRefused(() -> TableScene.parse(""), TableCodeError.TABLE_CODE_MALFORMED)
                .hasMessageContaining("empty");
        assertRefused(() -> TableScene.parse(scene + "x"), TableCodeError.TABLE_CODE_MALFORMED)
                .hasMessageContaining("must be 30 characters")
                .hasMessageContaining("got 31");
        assertRefused(
                        () -> TableScene.parse(scene.substring(0, 12) + "-" + scene.substring(13)),
                        TableCodeError.TABLE_CODE_MALFORMED)
                .hasMessageContaining("character 13 must be '.'");
        assertRefused(
                        () -> TableScene.parse("12a" + scene.substring(3)),
                        TableCodeError.TABLE_CODE_MALFORMED)
                .hasMessageContaining("character 3 must be a digit, got 'a'");
        assertRefused(
                        () -> TableScene.parse(scene.substring(0, 20) + "%" + scene.substring(21)),
                        TableCodeError.TABLE_CODE_MALFORMED)
                .hasMessageContaining("character 21 must be a signature character");
    }

    @Test
    void keyNeverPrintsItsSecret() {
        assertThat(key1.toString()).contains("redacted").doesNotContain(hexOf(key1.secret()));
    }

    private static org.assertj.core.api.AbstractThrowableAssert<?, ? extends Throwable>
            assertRefused(ThrowingCallable call, TableCodeError reason) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        TableCodeException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    private static String hexOf(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
