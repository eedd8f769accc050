package io.scanorder.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

class EmbeddedRedisIT {

    @Test
    void sharedServerStoresAndReturnsValues() {
        EmbeddedRedis redis = EmbeddedRedis.shared();
        assertThat(EmbeddedRedis.shared()).isSameAs(redis);
        try (Jedis jedis = new Jedis(URI.create(redis.uri()))) {
            jedis.set("scanorder:greeting", "ni hao");
            assertThat(jedis.get("scanorder:greeting")).isEqualTo("ni hao");
        }
    }

    @Test
    void stopMakesRedisUnreachableAndStartServesOnTheSamePort() {
        try (EmbeddedRedis redis = EmbeddedRedis.launch()) {
            int port = redis.port();
            try (Jedis jedis = new Jedis(redis.host(), port)) {
                assertThat(jedis.ping()).isEqualTo("PONG");
            }

            redis.stop();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(
                            () -> {
                                try (Jedis jedis = new Jedis(redis.host(), port)) {
                                    jedis.ping();
                                }
                            })
                    .isInstanceOf(JedisConnectionException.class);

            redis.start();
            assertThat(redis.port()).isEqualTo(port);
            try (Jedis jedis = new Jedis(redis.host(), port)) {
                jedis.set("k", "v");
                assertThat(jedis.get("k")).isEqualTo("v");
            }
        }
    }
}
