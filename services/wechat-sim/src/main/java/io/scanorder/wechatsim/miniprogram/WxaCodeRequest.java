package io.scanorder.wechatsim.miniprogram;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON body of {@code getwxacodeunlimit}, checked the way WeChat documents it: {@code scene}
 * 1-32 characters from digits, letters and {@code !#$&'()*+,/:;=?@-._~}; {@code page} a path of the
 * published app without a leading {@code /} or query; {@code env_version} release, trial or
 * develop; {@code width} 280-1280 (default 430); {@code line_color} r, g, b in 0-255.
 *
 * @param lineRgb the colour of the code's dark parts, 0xRRGGBB
 */
record WxaCodeRequest(
        String scene,
        String page,
        boolean checkPath,
        String envVersion,
        int width,
        boolean autoColor,
        int lineRgb,
        boolean hyaline) {
    static final int MIN_WIDTH = 280;
    static final int MAX_WIDTH = 1280;
    static final int DEFAULT_WIDTH = 430;
    static final int MAX_SCENE_LENGTH = 32;
    private static final Pattern SCENE = Pattern.compile("[0-9A-Za-z!#$&'()*+,/:;=?@\\-._~]+");
    // A page is a path of the app's pages: segments of word characters and dashes.
    private static final Pattern PAGE = Pattern.compile("[A-Za-z0-9_\\-]+(/[A-Za-z0-9_\\-.]+)*");
    private static final int MAX_PAGE_LENGTH = 1024;
    private static final Set<String> ENV_VERSIONS = Set.of("release", "trial", "develop");

    /**
     * Validates a parsed body.
     *
     * @throws WxApiException 40169 (scene missing or too long), 40129 (scene character), 41030
     *     (page), 40097 (width, env_version or line_color out of range), 47001 (a field of the
     *     wrong JSON type)
     */
    static WxaCodeRequest parse(JsonNode body) {
        String scene = text(body, "scene", "");
        if (scene.isEmpty() || scene.length() > MAX_SCENE_LENGTH) {
            throw new WxApiException(WxErrorCode.INVALID_SCENE_LENGTH);
        }
        if (!SCENE.matcher(scene).matches()) {
            throw new WxApiException(WxErrorCode.INVALID_SCENE);
        }
        String page = text(body, "page", "");
        if (!page.isEmpty() && (page.length() > MAX_PAGE_LENGTH || !PAGE.matcher(page).matches())) {
            throw new WxApiException(WxErrorCode.INVALID_PAGE);
        }
        String envVersion = text(body, "env_version", "release");
        if (!ENV_VERSIONS.contains(envVersion)) {
            throw new WxApiException(WxErrorCode.INVALID_ARGS);
        }
        int width = integer(body, "width", DEFAULT_WIDTH);
        if (width < MIN_WIDTH || width > MAX_WIDTH) {
            throw new WxApiException(WxErrorCode.INVALID_ARGS);
        }
        return new WxaCodeRequest(
                scene,
                page,
                bool(body, "check_path", true),
                envVersion,
                width,
                bool(body, "auto_color", false),
                lineColor(body.get("line_color")),
                bool(body, "is_hyaline", false));
    }

    private static String text(JsonNode body, String field, String absent) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isTextual()) {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
        return node.asText();
    }

    private static boolean bool(JsonNode body, String field, boolean absent) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isBoolean()) {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
        return node.booleanValue();
    }

    private static int integer(JsonNode body, String field, int absent) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
        return node.intValue();
    }

    /** {@code {"r":"0","g":"0","b":"0"}}: WeChat and its SDKs send the parts as numbers or text. */
    private static int lineColor(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isObject()) {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
        int rgb = 0;
        for (String part : new String[] {"r", "g", "b"}) {
            rgb = (rgb << 8) | colourPart(node.get(part));
        }
        return rgb;
    }

    private static int colourPart(JsonNode part) {
        if (part == null || part.isNull()) {
            return 0;
        }
        int value;
        if (part.isIntegralNumber() && part.canConvertToInt()) {
            value = part.intValue();
        } else if (part.isTextual() && part.asText().matches("\\d{1,3}")) {
            value = Integer.parseInt(part.asText());
        } else {
            throw new WxApiException(WxErrorCode.DATA_FORMAT_ERROR);
        }
        if (value < 0 || value > 255) {
            throw new WxApiException(WxErrorCode.INVALID_ARGS);
        }
        return value;
    }
}
