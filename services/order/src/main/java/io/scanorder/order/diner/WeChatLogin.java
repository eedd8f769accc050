package io.scanorder.order.diner;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaJscode2SessionResult;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import jakarta.enterprise.context.ApplicationScoped;
import me.chanjar.weixin.common.error.WxErrorException;
import org.jboss.logging.Logger;

/** Exchanges mini-program login codes for the diner's openid with WeChat's code2session. */
@ApplicationScoped
public class WeChatLogin {
    private static final Logger LOG = Logger.getLogger(WeChatLogin.class);
    static final int INVALID_CODE = 40029;
    static final int CODE_BEEN_USED = 40163;

    private final WxMaService wechat;

    public WeChatLogin(WeChatConfig config) {
        WxMaDefaultConfigImpl sdkConfig = new WxMaDefaultConfigImpl();
        sdkConfig.setAppid(config.appId());
        sdkConfig.setSecret(config.secret());
        sdkConfig.setApiHostUrl(config.apiHostUrl());
        WxMaServiceImpl service = new WxMaServiceImpl();
        service.setWxMaConfig(sdkConfig);
        service.setMaxRetryTimes(config.maxRetries());
        service.setRetrySleepMillis(200);
        this.wechat = service;
    }

    /** Who logged in; the session key never leaves the server. */
    public record Login(String openid, String unionid, String sessionKey) {}

    /**
     * The login behind a {@code wx.login()} code.
     *
     * @throws DinerApiException 401 for an invalid or used code, 503 when WeChat cannot be reached
     *     or fails
     */
    public Login exchange(String code) {
        try {
            WxMaJscode2SessionResult session = wechat.getUserService().getSessionInfo(code);
            return new Login(session.getOpenid(), session.getUnionid(), session.getSessionKey());
        } catch (WxErrorException e) {
            int errcode = e.getError().getErrorCode();
            if (errcode == INVALID_CODE) {
                throw new DinerApiException(
                        401,
                        "LOGIN_CODE_INVALID",
                        "code: WeChat does not know this login code (40029); call wx.login() again");
            }
            if (errcode == CODE_BEEN_USED) {
                throw new DinerApiException(
                        401,
                        "LOGIN_CODE_USED",
                        "code: this login code was already exchanged (40163); call wx.login()"
                                + " again");
            }
            LOG.warnf("WeChat code2session failed: %s", e.getError());
            throw new DinerApiException(
                    503,
                    "WECHAT_UNAVAILABLE",
                    "WeChat refused the login exchange (errcode " + errcode + "); retry later",
                    5,
                    e);
        } catch (RuntimeException e) {
            // The SDK wraps I/O failures (refused connection, timeout) in runtime exceptions.
            LOG.warnf("WeChat code2session unreachable: %s", e.toString());
            throw new DinerApiException(
                    503,
                    "WECHAT_UNAVAILABLE",
                    "WeChat cannot be reached for the login exchange; retry later",
                    5,
                    e);
        }
    }
}
