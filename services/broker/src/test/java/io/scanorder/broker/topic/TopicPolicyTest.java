package io.scanorder.broker.topic;

import static org.assertj.core.api.Assertions.assertThat;

import io.scanorder.broker.topic.DeviceTopics.Channel;
import io.scanorder.broker.topic.TopicPolicy.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPolicyTest {

    private final TopicPolicy policy = new TopicPolicy();
    private final Principal deviceA = Principal.device("001", "A");
    private final Principal orderService = Principal.service("order-service");

    private static String topic(String store, String device, Channel channel) {
        return DeviceTopics.topic(store, device, channel);
    }

    @ParameterizedTest
    @EnumSource(
            value = Channel.class,
            names = {"ACKS", "HEARTBEAT", "ALARMS", "STATUS"})
    void devicePublishesToItsOwnOutgoingChannels(Channel channel) {
        assertThat(policy.publish(deviceA, topic("001", "A", channel), false).allowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = Channel.class,
            names = {"TICKETS", "CONFIG", "DISPLAY"})
    void deviceMayNotPublishToChannelsTheServerWrites(Channel channel) {
        Decision d = policy.publish(deviceA, topic("001", "A", channel), false);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("device 'A'", channel.level(), "server only");
    }

    @Test
    void deviceMayNotPublishToAnotherDevicesTopics() {
        Decision d = policy.publish(deviceA, topic("001", "B", Channel.HEARTBEAT), false);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason())
                .isEqualTo(
                        "device 'A' may not publish to 'scanorder/001/devices/B/heartbeat': it"
                                + " belongs to device 'B' of store 001");
    }

    @Test
    void deviceMayNotPublishToTheSameDeviceIdInAnotherStore() {
        Decision d = policy.publish(deviceA, topic("002", "A", Channel.ACKS), false);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("of store 002");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "scanorder/001/devices/A/../B/heartbeat",
                "scanorder/001/devices/A/heartbeat/../../B/heartbeat",
                "scanorder/001/devices/A/heartbeat/",
                "scanorder/001/devices/A//heartbeat",
                "scanorder/001/devices/A",
                "scanorder/001/orders",
                "$SYS/broker/uptime",
                "heartbeat"
            })
    void devicePublishOutsideItsExactTopicsIsRefused(String topic) {
        Decision d = policy.publish(deviceA, topic, false);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains(topic).contains("not a device topic");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "scanorder/001/devices/+/heartbeat",
                "scanorder/001/devices/A/#",
                "scanorder/#",
                "#"
            })
    void wildcardsInAPublishTopicAreRefusedForEveryone(String topic) {
        assertThat(policy.publish(deviceA, topic, false).reason())
                .contains("wildcards are not allowed");
        assertThat(policy.publish(orderService, topic, false).allowed()).isFalse();
    }

    @Test
    void deviceMayRetainOnlyItsStatus() {
        assertThat(policy.publish(deviceA, topic("001", "A", Channel.STATUS), true).allowed())
                .isTrue();
        Decision d = policy.publish(deviceA, topic("001", "A", Channel.HEARTBEAT), true);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("retained", "only 'status'");
    }

    @ParameterizedTest
    @EnumSource(
            value = Channel.class,
            names = {"TICKETS", "CONFIG", "DISPLAY"})
    void deviceSubscribesToItsOwnIncomingChannels(Channel channel) {
        assertThat(policy.subscribe(deviceA, topic("001", "A", channel)).allowed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = Channel.class,
            names = {"ACKS", "HEARTBEAT", "ALARMS", "STATUS"})
    void deviceMayNotSubscribeToWhatDevicesPublish(Channel channel) {
        Decision d = policy.subscribe(deviceA, topic("001", "A", channel));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("read by the server only");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "#",
                "scanorder/#",
                "scanorder/001/#",
                "scanorder/001/devices/+/tickets",
                "scanorder/001/devices/A/#",
                "scanorder/001/devices/A/+",
                "+/+/+/+/+"
            })
    void deviceMayNotSubscribeWithWildcards(String filter) {
        Decision d = policy.subscribe(deviceA, filter);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("wildcards").contains(filter);
    }

    @Test
    void deviceMayNotSubscribeToAnotherDevicesTickets() {
        Decision d = policy.subscribe(deviceA, topic("001", "B", Channel.TICKETS));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("belongs to device 'B'");
    }

    @Test
    void deviceMayNotUseSharedSubscriptions() {
        Decision d = policy.subscribe(deviceA, "$share/g/" + topic("001", "A", Channel.TICKETS));
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("shared subscriptions");
    }

    @Test
    void deviceMayNotSubscribeToTraversalTricks() {
        assertThat(policy.subscribe(deviceA, "scanorder/001/devices/A/../B/tickets").allowed())
                .isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "$share/order-service/scanorder/+/devices/+/heartbeat",
                "$share/order-service/scanorder/#",
                "scanorder/#",
                "scanorder/001/devices/+/status",
                "scanorder/001/devices/A/acks"
            })
    void serviceAccountMaySubscribeAnywhereUnderTheRoot(String filter) {
        assertThat(policy.subscribe(orderService, filter).allowed()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "#",
                "$share/g/#",
                "$SYS/#",
                "other/topic",
                "$share//scanorder/#",
                "$share/g",
                "scanorder/ab#",
                "scanorder/#/x",
                "scanorder/a+"
            })
    void serviceAccountSubscriptionsOutsideTheRootOrMalformedAreRefused(String filter) {
        Decision d = policy.subscribe(orderService, filter);
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).contains("service account 'order-service'");
    }

    @Test
    void serviceAccountPublishesTicketsToAnyDevice() {
        assertThat(
                        policy.publish(orderService, topic("007", "B", Channel.TICKETS), false)
                                .allowed())
                .isTrue();
        assertThat(policy.publish(orderService, topic("007", "B", Channel.CONFIG), true).allowed())
                .isTrue();
        assertThat(policy.publish(orderService, "elsewhere/x", false).reason())
                .contains("only publish under 'scanorder/'");
    }

    @Test
    void deviceMustUseItsDeviceIdAsClientId() {
        assertThat(policy.clientId(deviceA, "A").allowed()).isTrue();
        Decision d = policy.clientId(deviceA, "B");
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).isEqualTo("device 'A' must connect with client id 'A' but used 'B'");
        assertThat(policy.clientId(deviceA, "").reason()).contains("must not be empty");
    }

    @Test
    void serviceAccountClientIdsStartWithTheAccountName() {
        assertThat(policy.clientId(orderService, "order-service").allowed()).isTrue();
        assertThat(policy.clientId(orderService, "order-service-7f9c.pod-2").allowed()).isTrue();
        assertThat(policy.clientId(orderService, "order-servicex").allowed()).isFalse();
        assertThat(policy.clientId(orderService, "A").allowed()).isFalse();
        assertThat(policy.clientId(orderService, "order-service-a/b").allowed()).isFalse();
        assertThat(policy.clientId(orderService, "order-service-").allowed()).isFalse();
    }

    @Test
    void overlongTopicsAreRefused() {
        assertThat(policy.publish(orderService, "scanorder/" + "x".repeat(300), false).reason())
                .contains("longer than 256");
        assertThat(policy.subscribe(orderService, "scanorder/" + "x".repeat(300)).allowed())
                .isFalse();
    }
}
