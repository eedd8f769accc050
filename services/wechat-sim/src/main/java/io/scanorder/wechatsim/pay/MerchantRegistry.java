package io.scanorder.wechatsim.pay;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The merchants (and service providers' sub-merchants) the simulated WeChat Pay knows. */
public final class MerchantRegistry {
    private final Map<String, Merchant> merchants = new ConcurrentHashMap<>();
    private final Map<String, String> subMerchantOwners = new ConcurrentHashMap<>();

    /** Registers a merchant, replacing any earlier registration of the same mchid. */
    public void register(Merchant merchant) {
        merchants.put(merchant.mchid(), merchant);
    }

    public Optional<Merchant> find(String mchid) {
        return Optional.ofNullable(mchid).map(merchants::get);
    }

    /** Makes {@code subMchid} a sub-merchant of service provider {@code spMchid}. */
    public void registerSubMerchant(String spMchid, String subMchid) {
        if (!merchants.containsKey(spMchid)) {
            throw new IllegalArgumentException(
                    "service provider " + spMchid + " is not registered; register it first");
        }
        if (subMchid == null || subMchid.isBlank()) {
            throw new IllegalArgumentException("sub_mchid is required");
        }
        subMerchantOwners.put(subMchid, spMchid);
    }

    public boolean isSubMerchantOf(String spMchid, String subMchid) {
        return spMchid.equals(subMerchantOwners.get(subMchid));
    }

    /**
     * Refuses a {@code sub_mchid} the signing service provider has no acceptance relationship with,
     * as WeChat does: 400 INVALID_REQUEST "受理关系不存在".
     */
    void requireSubMerchant(String spMchid, String subMchid) {
        if (!isSubMerchantOf(spMchid, subMchid)) {
            throw new PayApiException(
                    400,
                    "INVALID_REQUEST",
                    "受理关系不存在: sub_mchid "
                            + subMchid
                            + " is not bound to service provider "
                            + spMchid);
        }
    }
}
