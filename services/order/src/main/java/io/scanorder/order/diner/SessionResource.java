package io.scanorder.order.diner;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;

/**
 * Diner API: log in with a {@code wx.login()} code and look at the current session. Refusals are
 * JSON {@code {"reason": ..., "message": ...}} (see {@link DinerErrorMapper}).
 */
@Path("/api/v1/sessions")
public class SessionResource {
    private static final int MAX_CODE_LENGTH = 128;
    private static final int MAX_SCENE_LENGTH = 32;

    private final WeChatLogin wechat;
    private final DinerSessions sessions;
    private final RateLimiter limiter;
    private final DinerConfig config;

    public SessionResource(
            WeChatLogin wechat, DinerSessions sessions, RateLimiter limiter, DinerConfig config) {
        this.wechat = wechat;
        this.sessions = sessions;
        this.limiter = limiter;
        this.config = config;
    }

    /** The login request: the code from {@code wx.login()} and, optionally, the scanned scene. */
    public record LoginRequest(String code, String tableScene) {}

    /** A new session: the bearer token and who it is for (never the WeChat session key). */
    public record LoginResponse(
            String token, String openid, Instant expiresAt, String tableScene, boolean degraded) {}

    /** The session behind the bearer token. */
    public record SessionView(
            String openid, String tableScene, Instant expiresAt, boolean degraded) {}

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response login(LoginRequest request, @Context HttpServerRequest http) {
        if (request == null || request.code() == null || request.code().isBlank()) {
            throw new DinerApiException(
                    400, "LOGIN_CODE_MISSING", "code: the wx.login() code is required");
        }
        if (request.code().length() > MAX_CODE_LENGTH) {
            throw new DinerApiException(
                    400,
                    "LOGIN_CODE_MALFORMED",
                    "code: longer than " + MAX_CODE_LENGTH + " characters");
        }
        String scene = request.tableScene();
        if (scene != null && (scene.isBlank() || scene.length() > MAX_SCENE_LENGTH)) {
            throw new DinerApiException(
                    400,
                    "TABLE_SCENE_MALFORMED",
                    "tableScene: must be 1 to " + MAX_SCENE_LENGTH + " characters when given");
        }
        DinerConfig.RateLimit limits = config.rateLimit();
        String ip = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        enforce(limiter.acquire("login-ip", ip, limits.loginsPerIp(), limits.window()), "IP " + ip);

        WeChatLogin.Login login = wechat.exchange(request.code());
        enforce(
                limiter.acquire(
                        "login-openid", login.openid(), limits.loginsPerOpenid(), limits.window()),
                "this diner");
        DinerSessions.Created created = sessions.open(login, scene);
        DinerSession s = created.session();
        return Response.status(201)
                .entity(
                        new LoginResponse(
                                created.token(),
                                s.openid(),
                                s.expiresAt(),
                                s.tableScene(),
                                s.stateless()))
                .build();
    }

    @GET
    @Path("me")
    @Produces(MediaType.APPLICATION_JSON)
    public SessionView me(@HeaderParam("Authorization") String authorization) {
        String token = null;
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = authorization.substring(7).trim();
        }
        DinerSession s = sessions.resolve(token);
        return new SessionView(s.openid(), s.tableScene(), s.expiresAt(), s.stateless());
    }

    private static void enforce(RateLimiter.Decision decision, String who) {
        if (!decision.allowed()) {
            throw new DinerApiException(
                    429,
                    "RATE_LIMITED",
                    "too many logins from "
                            + who
                            + "; retry in "
                            + decision.retryAfterSeconds()
                            + " s",
                    decision.retryAfterSeconds(),
                    null);
        }
    }
}
