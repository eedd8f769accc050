package io.scanorder.order.table;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaCodeLineColor;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import io.scanorder.order.config.OrderServiceConfig;
import io.scanorder.order.config.OrderServiceConfig.QrSheetCode;
import io.scanorder.order.diner.WeChatConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import me.chanjar.weixin.common.error.WxErrorException;
import org.jboss.logging.Logger;

/**
 * The code images on table QR sheets, by {@code scanorder.order.qr-sheet.code}: plain QR codes
 * drawn locally, or WeChat's unlimited mini-program codes ({@code getwxacodeunlimit} with the
 * table's scene and the configured page) fetched through weixin-java-miniapp and cached per scene,
 * so reprinting a sheet does not ask WeChat again (a scene changes only with the store's key).
 */
@ApplicationScoped
public class WxaCodes {
    private static final Logger LOG = Logger.getLogger(WxaCodes.class);

    /** WeChat's default width; it fits the sheet's 440-pixel code area without scaling. */
    static final int WIDTH = 430;

    private static final int CACHED_SCENES = 10_000;

    private final QrSheetCode mode;
    private final String page;
    private final String envVersion;
    private final WxMaService wechat;
    private final Map<String, byte[]> byScene =
            Collections.synchronizedMap(
                    new LinkedHashMap<>(64, 0.75f, true) {
                        @Override
                        protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                            return size() > CACHED_SCENES;
                        }
                    });

    public WxaCodes(OrderServiceConfig config, TableSettings tables, WeChatConfig wechatConfig) {
        this.mode = config.qrSheet().code();
        this.page = tables.miniProgramPage();
        this.envVersion = config.qrSheet().envVersion();
        WxMaDefaultConfigImpl sdkConfig = new WxMaDefaultConfigImpl();
        sdkConfig.setAppid(wechatConfig.appId());
        sdkConfig.setSecret(wechatConfig.secret());
        sdkConfig.setApiHostUrl(wechatConfig.apiHostUrl());
        // The stable token: fetching an ordinary one would cut short the token the diner login
        // (WeChatLogin) holds for the same app.
        sdkConfig.useStableAccessToken(true);
        WxMaServiceImpl service = new WxMaServiceImpl();
        service.setWxMaConfig(sdkConfig);
        service.setMaxRetryTimes(wechatConfig.maxRetries());
        service.setRetrySleepMillis(200);
        this.wechat = service;
    }

    /** The configured kind of code. */
    public QrSheetCode mode() {
        return mode;
    }

    /**
     * The code images of a sheet's labels, fetched before anything is drawn so a refusal fails the
     * whole sheet rather than printing part of it.
     *
     * @throws WxaCodeException in {@code wxacode} mode when WeChat refuses a table's code
     */
    public Function<QrSheet.Label, BufferedImage> imagesFor(QrSheet sheet) {
        if (mode == QrSheetCode.QR) {
            return QrSheetRenderer::qrCode;
        }
        Map<String, BufferedImage> images = new LinkedHashMap<>();
        for (QrSheet.Label label : sheet.labels()) {
            images.put(label.scene(), decode(label, fetch(label)));
        }
        return label -> images.get(label.scene());
    }

    /** The PNG WeChat draws for this label's scene, from the cache when it was fetched before. */
    byte[] fetch(QrSheet.Label label) {
        byte[] cached = byScene.get(label.scene());
        if (cached != null) {
            return cached;
        }
        byte[] png;
        try {
            png =
                    wechat.getQrcodeService()
                            .createWxaCodeUnlimitBytes(
                                    label.scene(),
                                    page,
                                    true,
                                    envVersion,
                                    WIDTH,
                                    false,
                                    new WxMaCodeLineColor("0", "0", "0"),
                                    false);
        } catch (WxErrorException e) {
            int errcode = e.getError().getErrorCode();
            throw new WxaCodeException(
                    "WeChat refused the mini-program code of "
                            + describe(label)
                            + ": errcode "
                            + errcode
                            + " ("
                            + e.getError().getErrorMsg()
                            + "); "
                            + hint(errcode),
                    errcode,
                    e);
        } catch (RuntimeException e) {
            // The SDK wraps I/O failures (refused connection, timeout) in runtime exceptions.
            LOG.warnf("getwxacodeunlimit unreachable: %s", e.toString());
            throw new WxaCodeException(
                    "WeChat cannot be reached for the mini-program code of "
                            + describe(label)
                            + " ("
                            + e.getMessage()
                            + "); check scanorder.wechat.api-host-url and the network, or print"
                            + " with scanorder.order.qr-sheet.code=qr",
                    0,
                    e);
        }
        byScene.put(label.scene(), png);
        return png;
    }

    private String hint(int errcode) {
        return switch (errcode) {
            case 40001, 40013, 40125, 41001, 42001 ->
                    "the access token was refused: check scanorder.wechat.app-id and"
                            + " scanorder.wechat.secret";
            case 41030 ->
                    "page '"
                            + page
                            + "' is not a page of the published mini program (env_version "
                            + envVersion
                            + "): check scanorder.tables.mini-program-page and that the release is"
                            + " published";
            case 40129, 40169 -> "WeChat does not accept the table's scene";
            case 40097 -> "check scanorder.order.qr-sheet.env-version (release, trial or develop)";
            case 45009 -> "WeChat's per-minute quota is used up; retry in a minute";
            default -> "see WeChat's getwxacodeunlimit error codes";
        };
    }

    private static String describe(QrSheet.Label label) {
        TableInfo t = label.table();
        return "table "
                + t.tableCode()
                + " (store "
                + t.storeCode()
                + ", area "
                + t.areaCode()
                + " "
                + t.areaName()
                + ", table "
                + t.tableNo()
                + ")";
    }

    private BufferedImage decode(QrSheet.Label label, byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image != null) {
                return image;
            }
        } catch (IOException e) {
            // Reported below with the table.
        }
        byScene.remove(label.scene());
        throw new WxaCodeException(
                "WeChat's mini-program code of " + describe(label) + " is not a readable image",
                0,
                null);
    }
}
