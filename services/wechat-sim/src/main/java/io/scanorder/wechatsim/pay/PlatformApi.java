package io.scanorder.wechatsim.pay;

import static io.scanorder.wechatsim.pay.AuthenticatedHandler.query;
import static io.scanorder.wechatsim.pay.AuthenticatedHandler.requireMethod;
import static io.scanorder.wechatsim.pay.AuthenticatedHandler.signed;

import io.scanorder.wechatsim.http.ApiModule;
import io.scanorder.wechatsim.http.Router;
import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.http.SimResponse;
import io.scanorder.wechatsim.pay.crypto.AesGcm;
import io.scanorder.wechatsim.pay.crypto.PayCrypto;
import io.scanorder.wechatsim.pay.crypto.PlatformIdentity;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Platform endpoints of WeChat Pay API v3: platform certificate download ({@code GET
 * /v3/certificates}, each certificate encrypted with the caller's API v3 key), trade bill
 * application ({@code GET /v3/bill/tradebill}) and the bill file download it points to.
 */
public final class PlatformApi implements ApiModule {
    static final String DOWNLOAD_PATH = "/v3/billdownload/file";

    private final PaySimulator sim;
    private final Clock clock;
    private final Supplier<String> baseUrl;
    private final Map<String, BillFile> files = new ConcurrentHashMap<>();

    private record BillFile(String mchid, byte[] content) {}

    /**
     * @param baseUrl where the simulator listens, for the bill's download_url
     */
    public PlatformApi(PaySimulator sim, Clock clock, Supplier<String> baseUrl) {
        this.sim = sim;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    @Override
    public void register(Router router) {
        router.route("/v3/certificates", signed(sim, this::certificates));
        router.route("/v3/bill/tradebill", signed(sim, this::tradeBill));
        router.route(DOWNLOAD_PATH, this::download);
    }

    private SimResponse certificates(SimRequest request, Merchant merchant) {
        requireMethod(request, "GET");
        PlatformIdentity platform = sim.platform();
        String nonce = PayCrypto.nonce(12);
        String associatedData = "certificate";
        Map<String, Object> encrypted = new LinkedHashMap<>();
        encrypted.put("algorithm", AesGcm.ALGORITHM);
        encrypted.put("nonce", nonce);
        encrypted.put("associated_data", associatedData);
        encrypted.put(
                "ciphertext",
                new AesGcm(merchant.apiV3Key())
                        .encrypt(associatedData, nonce, PayCrypto.toPem(platform.certificate())));
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("serial_no", platform.certificateSerial());
        entry.put(
                "effective_time",
                WeChatTime.rfc3339(platform.certificate().getNotBefore().toInstant()));
        entry.put(
                "expire_time",
                WeChatTime.rfc3339(platform.certificate().getNotAfter().toInstant()));
        entry.put("encrypt_certificate", encrypted);
        return SimResponse.json(200, Map.of("data", List.of(entry)));
    }

    private SimResponse tradeBill(SimRequest request, Merchant merchant) {
        requireMethod(request, "GET");
        LocalDate day = billDate(query(request, "bill_date"));
        TradeBill.Type type = billType(request.param("bill_type").orElse("ALL"));
        String tarType = request.param("tar_type").orElse(null);
        if (tarType != null && !tarType.equals("GZIP")) {
            throw PayApiException.paramError("tar_type", "query", "must be GZIP when given");
        }
        String subMchid = request.param("sub_mchid").orElse(null);
        if (subMchid != null) {
            sim.merchants().requireSubMerchant(merchant.mchid(), subMchid);
        }
        TradeBook book = sim.book();
        String bill =
                book.read(
                                () ->
                                        TradeBill.render(
                                                book.trades(merchant.mchid()),
                                                book.refunds(merchant.mchid()),
                                                day,
                                                type,
                                                subMchid))
                        .orElseThrow(
                                () -> new PayApiException(400, "NO_STATEMENT_EXIST", "账单文件不存在"));
        byte[] content = bill.getBytes(StandardCharsets.UTF_8);
        // As at WeChat, the hash is of the bill itself: the SDK checks it after un-gzipping.
        String hash = sha1(content);
        if (tarType != null) {
            content = gzip(content);
        }
        String token = UUID.randomUUID().toString().replace("-", "");
        files.put(token, new BillFile(merchant.mchid(), content));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hash_type", "SHA1");
        body.put("hash_value", hash);
        body.put("download_url", baseUrl.get() + DOWNLOAD_PATH + "?token=" + token);
        return SimResponse.json(200, body);
    }

    /** The bill file itself; authenticated like every call, but (as at WeChat) not signed. */
    private SimResponse download(SimRequest request) {
        Merchant merchant;
        try {
            merchant = sim.authenticator().authenticate(request);
            requireMethod(request, "GET");
            BillFile file = files.get(query(request, "token"));
            if (file == null || !file.mchid().equals(merchant.mchid())) {
                throw new PayApiException(404, "RESOURCE_NOT_EXISTS", "账单文件不存在或已过期");
            }
            return new SimResponse(200, "application/octet-stream", file.content(), Map.of());
        } catch (PayApiException e) {
            return sim.signer().sign(null, e.toResponse());
        }
    }

    private LocalDate billDate(String value) {
        LocalDate day;
        try {
            day = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw PayApiException.paramError(
                    "bill_date", "query", "must be yyyy-MM-dd, got " + value);
        }
        if (day.isAfter(LocalDate.now(clock.withZone(WeChatTime.CHINA)))) {
            throw PayApiException.paramError("bill_date", "query", "is in the future: " + value);
        }
        return day;
    }

    private static TradeBill.Type billType(String value) {
        try {
            return TradeBill.Type.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw PayApiException.paramError(
                    "bill_type", "query", "must be ALL, SUCCESS or REFUND");
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String sha1(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
