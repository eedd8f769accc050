package io.scanorder.wechatsim.pay.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import org.junit.jupiter.api.Test;

class PlatformIdentityTest {
    private final PlatformIdentity platform = PlatformIdentity.generate(Instant.now());

    @Test
    void certificateIsASelfSignedX509ForThePlatformKeyThatParsesFromPem() throws Exception {
        X509Certificate parsed =
                (X509Certificate)
                        CertificateFactory.getInstance("X.509")
                                .generateCertificate(
                                        new ByteArrayInputStream(
                                                PayCrypto.toPem(platform.certificate())
                                                        .getBytes(StandardCharsets.US_ASCII)));

        parsed.verify(platform.publicKey());
        parsed.checkValidity(new Date());
        assertThat(parsed.getPublicKey()).isEqualTo(platform.publicKey());
        assertThat(parsed.getVersion()).isEqualTo(3);
        assertThat(parsed.getSigAlgName()).isEqualTo("SHA256withRSA");
        assertThat(parsed.getSubjectX500Principal().getName())
                .contains("CN=ScanOrder WeChat Pay Simulator");
    }

    @Test
    void serialIsFortyUpperCaseHexDigitsAndPublicKeyIdLooksLikeWeChats() {
        assertThat(platform.certificateSerial()).matches("[0-9A-F]{40}");
        assertThat(platform.certificate().getSerialNumber().toString(16).toUpperCase())
                .isEqualTo(platform.certificateSerial());
        assertThat(platform.publicKeyId()).matches("PUB_KEY_ID_01[0-9]{30}");
    }

    @Test
    void platformSignaturesVerifyWithTheCertificate() {
        String message = PayCrypto.responseMessage(1700000000, "n", "{}");

        assertThat(
                        PayCrypto.verify(
                                platform.certificate().getPublicKey(),
                                message,
                                PayCrypto.sign(platform.privateKey(), message)))
                .isTrue();
    }
}
