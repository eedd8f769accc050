package io.scanorder.wechatsim.pay;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;

/** A test merchant's credentials: API certificate key pair and serial, API v3 key. */
public record MerchantKeys(
        String mchid, String appid, KeyPair keys, String serialNo, String apiV3Key) {

    public static MerchantKeys generate(String mchid, String appid) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new MerchantKeys(
                    mchid,
                    appid,
                    generator.generateKeyPair(),
                    "3775B6A45ACD588826D15E583A95F5DD" + mchid.substring(mchid.length() - 8),
                    "a7Kq9Zr2Lm4Xp8Tc1Vb6Nw3Hy5Gd0Jf2");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Registers these credentials with the simulator. */
    public void registerWith(PaySimulator pay, VerificationMode mode) {
        pay.registerMerchant(
                new Merchant(mchid, appid, keys.getPublic(), serialNo, apiV3Key, mode));
    }
}
