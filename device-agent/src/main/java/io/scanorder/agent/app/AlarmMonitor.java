package io.scanorder.agent.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.scanorder.agent.printer.PrinterStatus;
import io.scanorder.agent.transport.DeviceChannel;
import io.scanorder.agent.transport.Transport;
import io.scanorder.agent.transport.TransportException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;

/**
 * Turns printer status readings into alarm changes on the {@code alarms} topic, only when an alarm
 * starts or ends: {@code {"deviceId":"hot-1","alarm":"PAPER_OUT","state":"RAISED",
 * "at":"2025-01-01T12:00:00Z","detail":"paper end"}}. A change that cannot be published (broker
 * away) is retried at the next reading.
 */
final class AlarmMonitor {

    private static final System.Logger LOG = System.getLogger(AlarmMonitor.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Transport transport;
    private final String deviceId;
    private final Clock clock;

    /** What the server has been told. */
    private final EnumSet<Alarm> published = EnumSet.noneOf(Alarm.class);

    AlarmMonitor(Transport transport, String deviceId, Clock clock) {
        this.transport = transport;
        this.deviceId = deviceId;
        this.clock = clock;
    }

    synchronized void observe(PrinterStatus status) {
        Set<Alarm> now = Alarm.of(status, published);
        for (Alarm alarm : Alarm.values()) {
            boolean active = now.contains(alarm);
            if (active != published.contains(alarm) && publish(alarm, active, status.problem())) {
                if (active) {
                    published.add(alarm);
                } else {
                    published.remove(alarm);
                }
            }
        }
    }

    /** Alarms the server has been told are active. */
    synchronized Set<Alarm> active() {
        return EnumSet.copyOf(published);
    }

    private boolean publish(Alarm alarm, boolean raised, String detail) {
        ObjectNode json =
                JSON.createObjectNode()
                        .put("deviceId", deviceId)
                        .put("alarm", alarm.name())
                        .put("state", raised ? "RAISED" : "CLEARED")
                        .put("at", clock.instant().toString())
                        .put("detail", raised ? detail : "");
        try {
            transport.publish(DeviceChannel.ALARMS, JSON.writeValueAsBytes(json));
            LOG.log(Level.INFO, "alarm " + alarm + (raised ? " raised: " + detail : " cleared"));
            return true;
        } catch (TransportException e) {
            LOG.log(Level.WARNING, "alarm " + alarm + " not published yet: " + e.getMessage());
            return false;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a JSON tree", e);
        }
    }
}
