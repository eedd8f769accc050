package io.scanorder.wechatsim.http;

/**
 * A group of simulated endpoints (mini-program API, Pay v3, control API) that registers its paths
 * with the router. New WeChat APIs slot in as further modules.
 */
public interface ApiModule {
    void register(Router router);
}
