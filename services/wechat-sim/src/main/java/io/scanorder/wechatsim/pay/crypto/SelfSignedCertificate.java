package io.scanorder.wechatsim.pay.crypto;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Builds a self-signed X.509 v3 certificate (SHA256withRSA) with the JDK alone: the JDK can parse
 * and verify certificates but has no public API to issue one, and the simulator must not depend on
 * the SDK or BouncyCastle. WeChat's SDKs do not check the platform certificate's chain, only its
 * key and serial number, so a plain self-signed certificate serves.
 */
public final class SelfSignedCertificate {
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss").withZone(ZoneOffset.UTC);
    // sha256WithRSAEncryption 1.2.840.113549.1.1.11
    private static final byte[] SHA256_WITH_RSA =
            Der.sequence(
                    Der.oid(0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B), Der.nullValue());

    private SelfSignedCertificate() {}

    /**
     * Issues a certificate for the key pair, signed by its own private key.
     *
     * @param organization the O= and CN= of subject and issuer
     */
    public static X509Certificate issue(
            KeyPair keys,
            BigInteger serial,
            String organization,
            Instant notBefore,
            Instant notAfter) {
        byte[] name =
                Der.sequence(
                        Der.set(
                                Der.sequence(
                                        Der.oid(0x55, 0x04, 0x0A), Der.utf8String(organization))),
                        Der.set(
                                Der.sequence(
                                        Der.oid(0x55, 0x04, 0x03), Der.utf8String(organization))));
        byte[] tbs =
                Der.sequence(
                        Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
                        Der.integer(serial),
                        SHA256_WITH_RSA,
                        name,
                        Der.sequence(
                                Der.utcTime(UTC_TIME.format(notBefore)),
                                Der.utcTime(UTC_TIME.format(notAfter))),
                        name,
                        keys.getPublic().getEncoded());
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(keys.getPrivate());
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, SHA256_WITH_RSA, Der.bitString(signer.sign()));
            X509Certificate certificate =
                    (X509Certificate)
                            CertificateFactory.getInstance("X.509")
                                    .generateCertificate(new ByteArrayInputStream(der));
            certificate.verify(keys.getPublic());
            return certificate;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot issue a self-signed certificate", e);
        }
    }
}
