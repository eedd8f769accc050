package io.scanorder.crds.v1alpha1;

/** Paper level a printer reports in its heartbeat. */
public enum PaperState {
    OK,
    LOW,
    OUT,
    /** Not a printer, or no heartbeat yet. */
    UNKNOWN
}
