package io.scanorder.wechatsim.miniprogram;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.scanorder.wechatsim.http.ApiModule;
import io.scanorder.wechatsim.http.Router;
import io.scanorder.wechatsim.http.SimRequest;
import io.scanorder.wechatsim.http.SimResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unlimited mini-program codes, {@code POST /wxa/getwxacodeunlimit?access_token=...}: a valid
 * request is answered with {@code image/png} bytes, an invalid one with WeChat's JSON error body
 * (40001/42001/41001 token, 40169 scene length, 40129 scene character, 41030 page, 40097 width,
 * env_version or line colour out of range, 47001 wrong JSON types).
 *
 * <p>Real WeChat draws a round "sun code" (小程序码) only WeChat can read; the simulator draws a
 * standard QR code of a {@link WxaCodeContent} URL instead, so tests can decode which app, page and
 * scene a code opens. WeChat answers 41030 for a page the published app does not have when {@code
 * check_path} is true: the simulator knows an app's pages once they are published with {@link
 * #publishPages}; until then it accepts any well-formed page.
 */
public final class WxaCodeApi implements ApiModule {
    /** The endpoint's path. */
    public static final String PATH = "/wxa/getwxacodeunlimit";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessTokens tokens;
    private final Map<String, Set<String>> publishedPages = new ConcurrentHashMap<>();

    public WxaCodeApi(AccessTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public void register(Router router) {
        router.route(PATH, this::unlimited);
    }

    /** Declares the pages of the app's published release, which check_path is checked against. */
    public void publishPages(String appId, Set<String> pages) {
        publishedPages.put(appId, Set.copyOf(pages));
    }

    private SimResponse unlimited(SimRequest request) {
        if (!request.method().equals("POST")) {
            throw new WxApiException(WxErrorCode.REQUIRE_POST);
        }
        String appId = tokens.appIdOf(request.param("access_token").orElse(null));
        if (!request.hasBody()) {
            throw new WxApiException(WxErrorCode.EMPTY_POST_DATA);
        }
        WxaCodeRequest code = WxaCodeRequest.parse(jsonObject(request.body()));
        Set<String> pages = publishedPages.get(appId);
        if (code.checkPath()
                && !code.page().isEmpty()
                && pages != null
                && !pages.contains(code.page())) {
            throw new WxApiException(WxErrorCode.INVALID_PAGE);
        }
        WxaCodeContent content =
                new WxaCodeContent(appId, code.page(), code.scene(), code.envVersion());
        return new SimResponse(200, "image/png", WxaCodeImage.png(content, code), Map.of());
    }

    private static JsonNode jsonObject(byte[] body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
            }
            return node;
        } catch (IOException e) {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
    }
}
