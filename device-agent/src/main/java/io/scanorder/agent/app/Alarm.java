package io.scanorder.agent.app;

import io.scanorder.agent.heartbeat.DeviceHealth.Cover;
import io.scanorder.agent.heartbeat.DeviceHealth.Paper;
import io.scanorder.agent.printer.PrinterStatus;
import java.util.EnumSet;
import java.util.Set;

/** Printer alarms, named as in the KitchenDevice resource's status. */
public enum Alarm {
    PAPER_OUT,
    PAPER_LOW,
    COVER_OPEN,
    PRINTER_UNREACHABLE;

    /**
     * The alarms a status shows. An unreachable printer says nothing about paper or cover, so those
     * keep what was {@code known} before.
     */
    static Set<Alarm> of(PrinterStatus status, Set<Alarm> known) {
        EnumSet<Alarm> now = EnumSet.noneOf(Alarm.class);
        if (!status.reachable()) {
            now.add(PRINTER_UNREACHABLE);
            for (Alarm a : known) {
                if (a != PRINTER_UNREACHABLE) {
                    now.add(a);
                }
            }
            return now;
        }
        if (status.paper() == Paper.OUT) {
            now.add(PAPER_OUT);
        } else if (status.paper() == Paper.LOW) {
            now.add(PAPER_LOW);
        }
        if (status.cover() == Cover.OPEN) {
            now.add(COVER_OPEN);
        }
        return now;
    }
}
