package io.scanorder.agent.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanorder.broker.topic.DeviceTopics;
import io.scanorder.broker.topic.Principal;
import io.scanorder.broker.topic.TopicPolicy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The agent builds its topics itself (no runtime dependency on the broker); this checks them
 * against the broker's own naming and policy so the two cannot drift apart.
 */
class DeviceChannelContractTest {

    private final TopicPolicy policy = new TopicPolicy();
    private final Principal device = Principal.device("001", "hot-printer-1");

    @ParameterizedTest
    @EnumSource(DeviceChannel.class)
    void agentTopicIsTheBrokersTopicForTheSameChannel(DeviceChannel channel) {
        DeviceTopics.Channel brokerChannel =
                DeviceTopics.Channel.ofLevel(channel.level()).orElseThrow();
        assertThat(channel.topic("001", "hot-printer-1"))
                .isEqualTo(DeviceTopics.topic("001", "hot-printer-1", brokerChannel));
        assertThat(channel.outgoing())
                .isEqualTo(brokerChannel.direction() == DeviceTopics.Direction.FROM_DEVICE);
    }

    @ParameterizedTest
    @EnumSource(DeviceChannel.class)
    void brokerAllowsExactlyWhatTheAgentDoesOnEachChannel(DeviceChannel channel) {
        String topic = channel.topic("001", "hot-printer-1");
        boolean mayPublish = policy.publish(device, topic, channel.retained()).allowed();
        boolean maySubscribe = policy.subscribe(device, topic).allowed();
        assertThat(mayPublish).isEqualTo(channel.outgoing());
        assertThat(maySubscribe).isEqualTo(!channel.outgoing());
    }
}
