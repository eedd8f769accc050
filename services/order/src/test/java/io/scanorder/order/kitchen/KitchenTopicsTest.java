package io.scanorder.order.kitchen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Topic names and parsing match the architecture's topic table and the broker's rules. */
class KitchenTopicsTest {

    @Test
    void ticketsTopicAndSharedFiltersFollowTheTopicTable() {
        assertThat(KitchenTopics.tickets("001", "hot-printer-1"))
                .isEqualTo("scanorder/001/devices/hot-printer-1/tickets");
        assertThat(KitchenTopics.sharedFilter("order-jingan-1a2b3c4d", KitchenTopics.ACKS))
                .isEqualTo("$share/order-jingan-1a2b3c4d/scanorder/+/devices/+/acks");
    }

    @Test
    void parsesDeviceTopicsAndRefusesAnythingElse() {
        assertThat(KitchenTopics.parse("scanorder/001/devices/hot-1/heartbeat"))
                .contains(new KitchenTopics.DeviceTopic("001", "hot-1", "heartbeat"));
        assertThat(KitchenTopics.parse("scanorder/01/devices/hot-1/acks")).isEmpty();
        assertThat(KitchenTopics.parse("scanorder/001/devices/../acks")).isEmpty();
        assertThat(KitchenTopics.parse("scanorder/001/devices/hot-1/acks/extra")).isEmpty();
        assertThat(KitchenTopics.parse("other/001/devices/hot-1/acks")).isEmpty();
        assertThat(KitchenTopics.parse(null)).isEmpty();
    }

    @Test
    void clipStripsControlCharactersAndKeepsWholeCodePoints() {
        assertThat(TicketPayload.clip(" 宫保鸡丁\n加辣 ", 3)).isEqualTo("宫保鸡");
        assertThat(TicketPayload.clip("a\u0000b", 10)).isEqualTo("ab");
        assertThat(TicketPayload.clip(null, 5)).isEmpty();
    }
}
