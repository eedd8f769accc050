package io.scanorder.broker.topic;

import io.scanorder.broker.topic.DeviceTopics.Channel;
import io.scanorder.broker.topic.DeviceTopics.DeviceTopic;
import io.scanorder.broker.topic.DeviceTopics.Direction;
import io.scanorder.broker.topic.Principal.Role;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which client id a principal may use and what it may publish and subscribe to.
 *
 * <ul>
 *   <li>A device uses its device id as client id, publishes only to its own {@code acks}, {@code
 *       heartbeat}, {@code alarms} and {@code status} topics (retained only on {@code status}), and
 *       subscribes only to its own {@code tickets}, {@code config} and {@code display} topics,
 *       without wildcards and without shared subscriptions.
 *   <li>A service account uses a client id equal to its name or starting with {@code name-}, and
 *       may publish and subscribe (also with {@code $share/group/} subscriptions) anywhere under
 *       {@code scanorder/}.
 * </ul>
 *
 * Every refusal carries a reason naming the principal and the offending topic or id.
 */
public final class TopicPolicy {

    /** Service account names. */
    public static final Pattern SERVICE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    /** Client ids a service account may use (besides its own name): {@code name-<suffix>}. */
    private static final Pattern CLIENT_ID_SUFFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private static final String SHARE_PREFIX = "$share/";
    private static final int MAX_TOPIC_LENGTH = 256;

    /** Result of a policy check; {@code reason} explains a refusal and is empty when allowed. */
    public record Decision(boolean allowed, String reason) {
        static final Decision ALLOW = new Decision(true, "");

        static Decision deny(String reason) {
            return new Decision(false, reason);
        }
    }

    /** May this principal connect with this client id? */
    public Decision clientId(Principal principal, String clientId) {
        if (clientId == null || clientId.isEmpty()) {
            return Decision.deny(
                    "client id must not be empty for user '" + principal.username() + "'");
        }
        if (principal.role() == Role.DEVICE) {
            // Binding the client id to the device id stops one device from taking over another
            // device's persistent session (and its queued tickets).
            return principal.username().equals(clientId)
                    ? Decision.ALLOW
                    : Decision.deny(
                            "device '"
                                    + principal.username()
                                    + "' must connect with client id '"
                                    + principal.username()
                                    + "' but used '"
                                    + clientId
                                    + "'");
        }
        String name = principal.username();
        if (clientId.equals(name)
                || (clientId.startsWith(name + "-")
                        && CLIENT_ID_SUFFIX
                                .matcher(clientId.substring(name.length() + 1))
                                .matches())) {
            return Decision.ALLOW;
        }
        return Decision.deny(
                "service account '"
                        + name
                        + "' must use client id '"
                        + name
                        + "' or '"
                        + name
                        + "-<suffix>' (suffix of letters, digits, '.', '_', '-') but used '"
                        + clientId
                        + "'");
    }

    /** May this principal publish to {@code topic} (with the given retain flag)? */
    public Decision publish(Principal principal, String topic, boolean retain) {
        Optional<String> malformed = malformedTopicName(topic);
        if (malformed.isPresent()) {
            return Decision.deny(
                    who(principal) + " may not publish to '" + topic + "': " + malformed.get());
        }
        if (principal.role() == Role.SERVICE) {
            return underRoot(topic)
                    ? Decision.ALLOW
                    : Decision.deny(
                            who(principal)
                                    + " may only publish under '"
                                    + DeviceTopics.ROOT
                                    + "/' but tried '"
                                    + topic
                                    + "'");
        }
        Optional<Decision> notOwn = ownTopicOrRefusal(principal, topic, "publish to");
        if (notOwn.isPresent()) {
            return notOwn.get();
        }
        Channel channel = DeviceTopics.parse(topic).orElseThrow().channel();
        if (channel.direction() != Direction.FROM_DEVICE) {
            return Decision.deny(
                    who(principal)
                            + " may not publish to '"
                            + topic
                            + "': '"
                            + channel.level()
                            + "' is written by the server only");
        }
        if (retain && channel != Channel.STATUS) {
            return Decision.deny(
                    who(principal)
                            + " may not publish a retained message to '"
                            + topic
                            + "': only 'status' is retained");
        }
        return Decision.ALLOW;
    }

    /**
     * May this principal subscribe with {@code topicFilter}? The filter may be a shared
     * subscription ({@code $share/group/filter}).
     */
    public Decision subscribe(Principal principal, String topicFilter) {
        if (topicFilter == null || topicFilter.isEmpty()) {
            return Decision.deny(who(principal) + " may not subscribe to an empty topic filter");
        }
        if (topicFilter.length() > MAX_TOPIC_LENGTH) {
            return Decision.deny(
                    who(principal)
                            + " may not subscribe to a topic filter longer than "
                            + MAX_TOPIC_LENGTH
                            + " characters");
        }
        boolean shared = topicFilter.startsWith(SHARE_PREFIX);
        String filter = topicFilter;
        if (shared) {
            int groupEnd = topicFilter.indexOf('/', SHARE_PREFIX.length());
            String group =
                    groupEnd < 0 ? "" : topicFilter.substring(SHARE_PREFIX.length(), groupEnd);
            if (group.isEmpty() || group.contains("+") || group.contains("#")) {
                return Decision.deny(
                        who(principal)
                                + " used a malformed shared subscription '"
                                + topicFilter
                                + "': expected $share/<group>/<filter>");
            }
            filter = topicFilter.substring(groupEnd + 1);
        }
        if (principal.role() == Role.SERVICE) {
            return underRoot(filter) && validFilter(filter)
                    ? Decision.ALLOW
                    : Decision.deny(
                            who(principal)
                                    + " may only subscribe under '"
                                    + DeviceTopics.ROOT
                                    + "/' but asked for '"
                                    + topicFilter
                                    + "'");
        }
        if (shared) {
            return Decision.deny(
                    who(principal) + " may not use shared subscriptions ('" + topicFilter + "')");
        }
        if (filter.contains("+") || filter.contains("#")) {
            return Decision.deny(
                    who(principal)
                            + " may not subscribe with wildcards ('"
                            + topicFilter
                            + "'); subscribe to each of its own topics by name");
        }
        Optional<Decision> notOwn = ownTopicOrRefusal(principal, filter, "subscribe to");
        if (notOwn.isPresent()) {
            return notOwn.get();
        }
        Channel channel = DeviceTopics.parse(filter).orElseThrow().channel();
        if (channel.direction() != Direction.TO_DEVICE) {
            return Decision.deny(
                    who(principal)
                            + " may not subscribe to '"
                            + filter
                            + "': '"
                            + channel.level()
                            + "' is read by the server only");
        }
        return Decision.ALLOW;
    }

    /** Empty if {@code topic} is one of the principal's own device topics, else the refusal. */
    private Optional<Decision> ownTopicOrRefusal(Principal device, String topic, String verb) {
        Optional<DeviceTopic> parsed = DeviceTopics.parse(topic);
        if (parsed.isEmpty()) {
            return Optional.of(
                    Decision.deny(
                            who(device)
                                    + " may not "
                                    + verb
                                    + " '"
                                    + topic
                                    + "': not a device topic of the form "
                                    + DeviceTopics.root(device.storeCode(), device.deviceId())
                                    + "<channel>"));
        }
        DeviceTopic t = parsed.get();
        if (!t.storeCode().equals(device.storeCode()) || !t.deviceId().equals(device.deviceId())) {
            return Optional.of(
                    Decision.deny(
                            who(device)
                                    + " may not "
                                    + verb
                                    + " '"
                                    + topic
                                    + "': it belongs to device '"
                                    + t.deviceId()
                                    + "' of store "
                                    + t.storeCode()));
        }
        return Optional.empty();
    }

    private static Optional<String> malformedTopicName(String topic) {
        if (topic == null || topic.isEmpty()) {
            return Optional.of("empty topic");
        }
        if (topic.length() > MAX_TOPIC_LENGTH) {
            return Optional.of("longer than " + MAX_TOPIC_LENGTH + " characters");
        }
        if (topic.contains("+") || topic.contains("#")) {
            return Optional.of("wildcards are not allowed in a topic name");
        }
        if (topic.indexOf('\0') >= 0) {
            return Optional.of("contains a NUL character");
        }
        return Optional.empty();
    }

    private static boolean underRoot(String topicOrFilter) {
        return topicOrFilter.startsWith(DeviceTopics.ROOT + "/");
    }

    /** '#' only as the whole last level, '+' only as a whole level. */
    private static boolean validFilter(String filter) {
        String[] levels = filter.split("/", -1);
        for (int i = 0; i < levels.length; i++) {
            String level = levels[i];
            if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
                return false;
            }
            if (level.contains("+") && !level.equals("+")) {
                return false;
            }
        }
        return filter.indexOf('\0') < 0;
    }

    private static String who(Principal p) {
        return (p.role() == Role.DEVICE ? "device '" : "service account '") + p.username() + "'";
    }
}
