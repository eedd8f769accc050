package io.scanorder.wechatsim.miniprogram;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a simulated mini-program code carries, and the text the simulator encodes in its QR code:
 * {@code scanorder-wechat-sim://wxacode?appid=APPID&page=PAGE&scene=SCENE&env_version=ENV}, every
 * value URL-encoded (UTF-8) and {@code page} empty for the app's home page. WeChat's own codes
 * carry no readable text; this URL exists so tests can check what a code would open.
 *
 * @param appId the mini program the code opens
 * @param page the page it opens, empty for the home page
 * @param scene the {@code scene} the page receives
 * @param envVersion {@code release}, {@code trial} or {@code develop}
 */
public record WxaCodeContent(String appId, String page, String scene, String envVersion) {
    /** Scheme and authority of the encoded URL. */
    public static final String PREFIX = "scanorder-wechat-sim://wxacode?";

    /** The URL the QR code encodes. */
    public String toText() {
        return PREFIX
                + "appid="
                + encode(appId)
                + "&page="
                + encode(page)
                + "&scene="
                + encode(scene)
                + "&env_version="
                + encode(envVersion);
    }

    /**
     * Reads back a URL made by {@link #toText()}.
     *
     * @throws IllegalArgumentException when {@code text} is not such a URL, naming what is wrong
     */
    public static WxaCodeContent parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException(
                    "not a simulated mini-program code: '"
                            + text
                            + "' does not start with "
                            + PREFIX);
        }
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(text).getRawQuery();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("parameter without value in '" + text + "'");
            }
            params.put(
                    pair.substring(0, eq),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        for (String name : new String[] {"appid", "page", "scene", "env_version"}) {
            if (!params.containsKey(name)) {
                throw new IllegalArgumentException(
                        "parameter " + name + " missing in '" + text + "'");
            }
        }
        return new WxaCodeContent(
                params.get("appid"),
                params.get("page"),
                params.get("scene"),
                params.get("env_version"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
