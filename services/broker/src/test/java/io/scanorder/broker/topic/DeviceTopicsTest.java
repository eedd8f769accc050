package io.scanorder.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.scanorder.broker.topic.DeviceTopics.Channel;
import io.scanorder.broker.topic.DeviceTopics.DeviceTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceTopicsTest {

    @Test
    void buildsTopicUnderTheDeviceRoot() {
        assertThat(DeviceTopics.topic("001", "hot-printer-1", Channel.HEARTBEAT))
                .isEqualTo("scanorder/001/devices/hot-printer-1/heartbeat");
        assertThat(DeviceTopics.root("042", "A")).isEqualTo("scanorder/042/devices/A/");
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void everyChannelRoundTripsThroughParse(Channel channel) {
        String topic = DeviceTopics.topic("123", "bar_led", channel);
        assertThat(DeviceTopics.parse(topic)).contains(new DeviceTopic("123", "bar_led", channel));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "scanorder/001/devices/A",
                "scanorder/001/devices/A/",
                "scanorder/001/devices/A/../B/heartbeat",
                "scanorder/001/devices/A/heartbeat/extra",
                "scanorder/01/devices/A/heartbeat",
                "scanorder/0012/devices/A/heartbeat",
                "scanorder/abc/devices/A/heartbeat",
                "scanorder/001/device/A/heartbeat",
                "scanorder/001/devices/+/heartbeat",
                "scanorder/001/devices/#",
                "scanorder/001/devices//heartbeat",
                "scanorder/001/devices/A/Heartbeat",
                "scanorder/001/devices/A/+",
                "other/001/devices/A/heartbeat",
                "/scanorder/001/devices/A/heartbeat",
                "scanorder/001/devices/.hidden/heartbeat",
                "scanorder/001/devices/A B/heartbeat"
            })
    void rejectsAnythingThatIsNotExactlyADeviceTopic(String topic) {
        assertThat(DeviceTopics.parse(topic)).isEmpty();
    }

    @Test
    void refusesToBuildTopicsFromInvalidParts() {
        assertThatThrownBy(() -> DeviceTopics.topic("1", "A", Channel.ACKS))
                .hasMessageContaining("storeCode must be exactly 3 digits but was '1'");
        assertThatThrownBy(() -> DeviceTopics.topic("001", "A/../B", Channel.ACKS))
                .hasMessageContaining("deviceId must match")
                .hasMessageContaining("'A/../B'");
        assertThatThrownBy(() -> DeviceTopics.topic("001", "x".repeat(65), Channel.ACKS))
                .hasMessageContaining("deviceId");
    }
}
