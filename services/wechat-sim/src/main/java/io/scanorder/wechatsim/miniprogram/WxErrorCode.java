package io.scanorder.wechatsim.miniprogram;

/**
 * WeChat's global return codes that the simulated mini-program endpoints answer with, with the
 * English {@code errmsg} text WeChat sends (before its {@code , rid: ...} suffix).
 */
public enum WxErrorCode {
    SYSTEM_ERROR(-1, "system error"),
    INVALID_CREDENTIAL(40001, "invalid credential, access_token is invalid or not latest"),
    INVALID_GRANT_TYPE(40002, "invalid grant_type"),
    INVALID_APPID(40013, "invalid appid"),
    INVALID_CODE(40029, "invalid code"),
    INVALID_URL(40066, "invalid url"),
    INVALID_ARGS(40097, "invalid args"),
    INVALID_APPSECRET(40125, "invalid appsecret"),
    INVALID_SCENE(40129, "invalid scene"),
    CODE_BEEN_USED(40163, "code been used"),
    INVALID_SCENE_LENGTH(40169, "invalid length for scene, or the data is not json string"),
    ACCESS_TOKEN_MISSING(41001, "access_token missing"),
    APPID_MISSING(41002, "appid missing"),
    APPSECRET_MISSING(41004, "appsecret missing"),
    CODE_MISSING(41008, "missing code"),
    INVALID_PAGE(41030, "invalid page"),
    ACCESS_TOKEN_EXPIRED(42001, "access_token expired"),
    REQUIRE_GET(43001, "require GET method"),
    REQUIRE_POST(43002, "require POST method"),
    EMPTY_POST_DATA(44002, "empty post data"),
    DATA_FORMAT_ERROR(47001, "data format error");

    private final int code;
    private final String message;

    WxErrorCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }
}
