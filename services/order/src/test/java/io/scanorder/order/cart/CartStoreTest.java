package io.scanorder.order.cart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Key, channel and line-id naming of the Redis cart store. */
class CartStoreTest {
    private static final TableRef TABLE = new TableRef("751", "751000100034");

    @Test
    void lineIdIsStableAndDiffersByNote() {
        assertThat(CartStore.lineId("beef-noodles-s", ""))
                .isEqualTo(CartStore.lineId("beef-noodles-s", ""))
                .matches("[0-9a-f]{16}");
        assertThat(CartStore.lineId("beef-noodles-s", "no chili"))
                .isNotEqualTo(CartStore.lineId("beef-noodles-s", ""));
        // The separator keeps "a" + "b\nc" apart from "a\nb" + "c".
        assertThat(CartStore.lineId("a", "b")).isNotEqualTo(CartStore.lineId("a\nb", ""));
    }

    @Test
    void bothKeysOfACartShareOneClusterHashTag() {
        assertThat(CartStore.cartKey(TABLE)).isEqualTo("scanorder:cart:{751:751000100034}");
        assertThat(CartStore.versionKey(TABLE))
                .isEqualTo("scanorder:cart:{751:751000100034}:version");
    }

    @Test
    void changeChannelNamesItsTableAndOtherChannelsNameNone() {
        String channel = CartStore.channel(TABLE);
        assertThat(channel).isEqualTo("scanorder:cart:chg:751:751000100034");
        assertThat(CartStore.tableOfChannel(channel)).isEqualTo(TABLE);
        assertThat(CartStore.tableOfChannel("scanorder:cart:chg:ping:3f2a-9c")).isNull();
        assertThat(CartStore.tableOfChannel("scanorder:cart:chg:751:75100010003")).isNull();
        assertThat(CartStore.tableOfChannel("scanorder:menu:751:current")).isNull();
        assertThat(CartStore.tableOfChannel(null)).isNull();
    }
}
