package io.scanorder.crds.v1alpha1;

/** Status of a {@link Condition}, spelled as Kubernetes conditions spell it. */
public enum ConditionStatus {
    True,
    False,
    Unknown
}
