package io.scanorder.wechatsim;

import io.scanorder.wechatsim.control.ControlApi;
import io.scanorder.wechatsim.control.PayControlApi;
import io.scanorder.wechatsim.http.ApiModule;
import io.scanorder.wechatsim.http.Router;
import io.scanorder.wechatsim.http.SimHttpServer;
import io.scanorder.wechatsim.http.SimResponse;
import io.scanorder.wechatsim.miniprogram.AccessTokens;
import io.scanorder.wechatsim.miniprogram.AppRegistry;
import io.scanorder.wechatsim.miniprogram.LoginCodes;
import io.scanorder.wechatsim.miniprogram.MiniApp;
import io.scanorder.wechatsim.miniprogram.MiniProgramApi;
import io.scanorder.wechatsim.miniprogram.WxApiException;
import io.scanorder.wechatsim.miniprogram.WxErrorCode;
import io.scanorder.wechatsim.miniprogram.WxaCodeApi;
import io.scanorder.wechatsim.pay.PayApi;
import io.scanorder.wechatsim.pay.PaySimulator;
import io.scanorder.wechatsim.pay.PlatformApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A local stand-in for WeChat's servers that the real WeChat SDKs talk to over HTTP: point the
 * SDK's API host at {@link #baseUrl()}. It serves the mini-program API (login, access tokens,
 * unlimited mini-program codes drawn as readable QR codes: see {@link WxaCodeApi}) and WeChat Pay
 * API v3 ({@link #pay()}).
 *
 * <p>Embedded in a test:
 *
 * <pre>{@code
 * try (WeChatSimulator wechat = WeChatSimulator.start(0)) {
 *     wechat.registerApp("wx0123456789abcdef", "secret");
 *     String code = wechat.issueLoginCode("wx0123456789abcdef", "oUser1");
 *     // the code under test exchanges it via GET {baseUrl}/sns/jscode2session
 * }
 * }</pre>
 *
 * <p>Standalone ({@link #main}), other processes drive it through the control API under {@code
 * /__sim/} (see {@link ControlApi}).
 */
public final class WeChatSimulator implements AutoCloseable {
    private final SimHttpServer server;
    private final AppRegistry apps;
    private final LoginCodes loginCodes;
    private final MiniProgramApi miniProgram;
    private final AccessTokens tokens;
    private final WxaCodeApi wxaCodes;
    private final PaySimulator pay;

    private WeChatSimulator(
            SimHttpServer server,
            AppRegistry apps,
            LoginCodes loginCodes,
            MiniProgramApi miniProgram,
            AccessTokens tokens,
            WxaCodeApi wxaCodes,
            PaySimulator pay) {
        this.server = server;
        this.apps = apps;
        this.loginCodes = loginCodes;
        this.miniProgram = miniProgram;
        this.tokens = tokens;
        this.wxaCodes = wxaCodes;
        this.pay = pay;
    }

    /** Starts on 127.0.0.1; port 0 picks a free port. */
    public static WeChatSimulator start(int port) {
        return start("127.0.0.1", port, Clock.systemUTC());
    }

    /** Starts on the given address with the given clock (codes and tokens expire by it). */
    public static WeChatSimulator start(String host, int port, Clock clock) {
        AppRegistry apps = new AppRegistry();
        LoginCodes loginCodes = new LoginCodes(clock);
        AccessTokens tokens = new AccessTokens(clock);
        MiniProgramApi miniProgram = new MiniProgramApi(apps, tokens, loginCodes);
        WxaCodeApi wxaCodes = new WxaCodeApi(tokens);
        PaySimulator pay = new PaySimulator(clock);
        AtomicReference<String> baseUrl = new AtomicReference<>();
        // Further WeChat APIs are added to this list as modules of their own.
        List<ApiModule> modules =
                List.of(
                        miniProgram,
                        wxaCodes,
                        new PayApi(pay),
                        new PlatformApi(pay, clock, baseUrl::get),
                        new ControlApi(apps, loginCodes),
                        new PayControlApi(pay));

        Router router =
                new Router(
                        request ->
                                SimResponse.json(404, WxApiException.body(WxErrorCode.INVALID_URL)),
                        request ->
                                SimResponse.json(
                                        500, WxApiException.body(WxErrorCode.SYSTEM_ERROR)));
        modules.forEach(m -> m.register(router));
        try {
            SimHttpServer server = SimHttpServer.start(new InetSocketAddress(host, port), router);
            WeChatSimulator simulator =
                    new WeChatSimulator(
                            server, apps, loginCodes, miniProgram, tokens, wxaCodes, pay);
            baseUrl.set(simulator.baseUrl());
            return simulator;
        } catch (IOException e) {
            pay.close();
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
    }

    /** Where the simulator listens, e.g. {@code http://127.0.0.1:41234} (no trailing slash). */
    public String baseUrl() {
        String host = server.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + server.port();
    }

    public int port() {
        return server.port();
    }

    /** Registers a mini program (or resets its secret); returns this for chaining. */
    public WeChatSimulator registerApp(String appId, String secret) {
        apps.register(new MiniApp(appId, secret));
        return this;
    }

    /** Plays {@code wx.login()} on a phone: a one-time code, valid 5 minutes, for this user. */
    public String issueLoginCode(String appId, String openid) {
        return issueLoginCode(appId, openid, null);
    }

    /** As {@link #issueLoginCode(String, String)}, for an app bound to an open-platform account. */
    public String issueLoginCode(String appId, String openid, String unionid) {
        if (!apps.isRegistered(appId)) {
            throw new IllegalArgumentException("appId '" + appId + "' is not registered");
        }
        return loginCodes.issue(new LoginCodes.Login(appId, openid, Optional.ofNullable(unionid)));
    }

    /** The session_key the last code exchange gave this user, if any. */
    public Optional<String> sessionKey(String appId, String openid) {
        return miniProgram.sessionKey(appId, openid);
    }

    /**
     * Publishes a release of the app with these pages: from now on {@code getwxacodeunlimit}
     * answers 41030 for any other page (unless the request sets {@code check_path} false). Before
     * this, any well-formed page is accepted.
     */
    public WeChatSimulator publishPages(String appId, String... pages) {
        if (!apps.isRegistered(appId)) {
            throw new IllegalArgumentException("appId '" + appId + "' is not registered");
        }
        wxaCodes.publishPages(appId, Set.of(pages));
        return this;
    }

    /**
     * Invalidates every access token of the app, as another server fetching tokens or a secret
     * reset does: the next API call with an old token gets 40001.
     */
    public void revokeAccessTokens(String appId) {
        tokens.revokeAll(appId);
    }

    /** The WeChat Pay API v3 side: merchants, the payer, notifications, inspection. */
    public PaySimulator pay() {
        return pay;
    }

    @Override
    public void close() {
        server.close();
        pay.close();
    }

    /** Runs the simulator until the process is stopped. */
    public static void main(String[] args) throws InterruptedException {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        WeChatSimulator simulator = start(options.host(), options.port(), Clock.systemUTC());
        options.apps().forEach(a -> simulator.registerApp(a.appId(), a.secret()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    simulator.close();
                                    stopped.countDown();
                                }));
        System.out.println(
                "WeChat simulator listening on "
                        + simulator.baseUrl()
                        + " (control API under "
                        + ControlApi.PREFIX
                        + "/, apps: "
                        + options.apps().stream().map(MiniApp::appId).toList()
                        + ")");
        System.out.flush();
        stopped.await();
    }
}
