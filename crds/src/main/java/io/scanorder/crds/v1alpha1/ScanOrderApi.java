package io.scanorder.crds.v1alpha1;

/** API group, version and short names of the ScanOrder custom resources, in one place. */
public final class ScanOrderApi {
    /** API group of every ScanOrder custom resource. */
    public static final String GROUP = "scanorder.io";

    /** The one served and stored version. */
    public static final String VERSION = "v1alpha1";

    /** {@code apiVersion} value of the manifests. */
    public static final String API_VERSION = GROUP + "/" + VERSION;

    /** {@code kubectl get st}. */
    public static final String STORE_SHORT_NAME = "st";

    /** {@code kubectl get mn}. */
    public static final String MENU_SHORT_NAME = "mn";

    /** {@code kubectl get kd}. */
    public static final String KITCHEN_DEVICE_SHORT_NAME = "kd";

    private ScanOrderApi() {}
}
