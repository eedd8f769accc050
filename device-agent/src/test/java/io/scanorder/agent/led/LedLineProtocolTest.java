package io.scanorder.agent.led;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedLineProtocolTest {

    @Test
    void showCommandListsNumbersInOrderAndEmptyClears() {
        assertThat(LedLineProtocol.show(List.of("0042", "A7"))).isEqualTo("SHOW 0042,A7");
        assertThat(LedLineProtocol.show(List.of())).isEqualTo("SHOW");
        assertThat(LedLineProtocol.parseNumbers("0042,A7")).containsExactly("0042", "A7");
        assertThat(LedLineProtocol.parseNumbers("")).isEmpty();
    }

    @Test
    void numbersThatCouldBreakTheLineAreRefusedWithTheirIndex() {
        assertThatThrownBy(() -> LedLineProtocol.show(List.of("1", "2,3")))
                .hasMessage("number [1] must be 1-8 letters or digits but was '2,3'");
        assertThatThrownBy(() -> LedLineProtocol.parseNumbers("1,,2"))
                .hasMessageContaining("number [1]");
        assertThatThrownBy(() -> LedLineProtocol.show(List.of("12\n")))
                .hasMessageContaining("number [0]");
        assertThatThrownBy(() -> LedLineProtocol.show(Collections.nCopies(21, "1")))
                .hasMessage("at most 20 numbers but got 21");
    }
}
