package io.scanorder.wechatsim.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router router =
            new Router(
                    r -> SimResponse.text(404, "no route " + r.path()),
                    r -> SimResponse.text(500, "system error"));

    private static SimRequest get(String path, String rawQuery) {
        return new SimRequest("GET", path, SimRequest.parseQuery(rawQuery), Map.of(), new byte[0]);
    }

    @Test
    void unexpectedFailureAnswersGenericErrorWithoutStackTrace() {
        router.route(
                "/boom",
                r -> {
                    throw new IllegalStateException("secret internals");
                });

        SimResponse response = router.dispatch(get("/boom", null));

        assertThat(response.status()).isEqualTo(500);
        assertThat(response.bodyAsString())
                .isEqualTo("system error")
                .doesNotContain("secret internals");
    }

    @Test
    void apiErrorRendersInItsOwnFormat() {
        router.route(
                "/teapot",
                r -> {
                    throw new SimApiException("short and stout") {
                        @Override
                        public SimResponse toResponse() {
                            return SimResponse.text(418, getMessage());
                        }
                    };
                });

        SimResponse response = router.dispatch(get("/teapot", null));

        assertThat(response.status()).isEqualTo(418);
        assertThat(response.bodyAsString()).isEqualTo("short and stout");
    }

    @Test
    void unknownPathGoesToTheNotFoundAnswer() {
        assertThat(router.dispatch(get("/nowhere", null)).bodyAsString())
                .isEqualTo("no route /nowhere");
    }

    @Test
    void routingAPathTwiceIsRefused() {
        router.route("/a", r -> SimResponse.text(200, "a"));

        assertThatThrownBy(() -> router.route("/a", r -> SimResponse.text(200, "b")))
                .hasMessageContaining("/a");
    }

    @Test
    void queryParametersAreDecodedAndFirstValueWins() {
        Map<String, String> query = SimRequest.parseQuery("a=1&b=x%20y&a=2&flag&c=%zz");

        assertThat(query)
                .containsEntry("a", "1")
                .containsEntry("b", "x y")
                .containsEntry("flag", "")
                .containsEntry("c", "%zz");
    }
}
