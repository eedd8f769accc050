package io.scanorder.wechatsim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.wechatsim.miniprogram.MiniApp;
import org.junit.jupiter.api.Test;

class SimulatorOptionsTest {

    @Test
    void defaultsToAFreeLoopbackPortAndNoApps() {
        SimulatorOptions options = SimulatorOptions.parse();

        assertThat(options.host()).isEqualTo("127.0.0.1");
        assertThat(options.port()).isZero();
        assertThat(options.apps()).isEmpty();
    }

    @Test
    void parsesPortHostAndRepeatedApps() {
        SimulatorOptions options =
                SimulatorOptions.parse(
                        "--port=18080", "--host=0.0.0.0", "--app=wxa:s1", "--app=wxb:s:2");

        assertThat(options.port()).isEqualTo(18080);
        assertThat(options.host()).isEqualTo("0.0.0.0");
        assertThat(options.apps())
                .containsExactly(new MiniApp("wxa", "s1"), new MiniApp("wxb", "s:2"));
    }

    @Test
    void badArgumentsAreNamedInTheError() {
        assertThatThrownBy(() -> SimulatorOptions.parse("--port=http"))
                .hasMessageContaining("--port")
                .hasMessageContaining("'http'");
        assertThatThrownBy(() -> SimulatorOptions.parse("--app=wxa"))
                .hasMessageContaining("APPID:SECRET")
                .hasMessageContaining("'wxa'");
        assertThatThrownBy(() -> SimulatorOptions.parse("--verbose"))
                .hasMessageContaining("'--verbose'");
    }
}
