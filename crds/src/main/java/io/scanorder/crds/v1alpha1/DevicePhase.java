package io.scanorder.crds.v1alpha1;

/** Lifecycle phase of a {@link KitchenDevice}. */
public enum DevicePhase {
    /** Created; credentials not issued yet. */
    Pending,
    /** Credentials issued; the agent has not connected yet. */
    Provisioned,
    /** Connected and heartbeating with no active alarm. */
    Online,
    /** Connected but with an active alarm (e.g. paper low, cover open). */
    Degraded,
    /** No heartbeat for three intervals, or the agent's last will was received. */
    Offline
}
