package io.scanorder.crds.v1alpha1;

/** Alarms a device agent raises and clears. */
public enum AlarmCode {
    PAPER_OUT,
    PAPER_LOW,
    COVER_OPEN,
    PRINTER_UNREACHABLE
}
