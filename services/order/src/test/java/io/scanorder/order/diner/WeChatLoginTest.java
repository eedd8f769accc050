package io.scanorder.order.diner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.testkit.FreePorts;
import org.junit.jupiter.api.Test;

/** The real WeChat SDK against an address where nothing listens. */
class WeChatLoginTest {

    private static WeChatConfig config(String apiHostUrl) {
        return new WeChatConfig() {
            @Override
            public String appId() {
                return "wx00000000000a11ce";
            }

            @Override
            public String secret() {
                return "test-secret";
            }

            @Override
            public String apiHostUrl() {
                return apiHostUrl;
            }

            @Override
            public int maxRetries() {
                return 0;
            }
        };
    }

    @Test
    void unreachableWeChatIsA503WithRetryAfter() {
        WeChatLogin login = new WeChatLogin(config("http://127.0.0.1:" + FreePorts.loopback()));

        assertThatThrownBy(() -> login.exchange("0a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P"))
                .isInstanceOfSatisfying(
                        DinerApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(503);
                            assertThat(e.reason()).isEqualTo("WECHAT_UNAVAILABLE");
                            assertThat(e.retryAfterSeconds()).isPositive();
                        });
    }
}
