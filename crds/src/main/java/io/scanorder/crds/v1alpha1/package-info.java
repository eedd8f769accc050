/**
 * The ScanOrder custom resources of {@code scanorder.io/v1alpha1}: {@link
 * io.scanorder.crds.v1alpha1.Store}, {@link io.scanorder.crds.v1alpha1.Menu} and {@link
 * io.scanorder.crds.v1alpha1.KitchenDevice}. The CRD YAML is generated from these classes.
 */
package io.scanorder.crds.v1alpha1;
