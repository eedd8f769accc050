package io.scanorder.crds.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A menu of a brand: categories, items (SPUs) with their SKUs, and combos. Stores reference it by
 * name; the operator validates it and publishes it to the order service.
 */
@Group(ScanOrderApi.GROUP)
@Version(ScanOrderApi.VERSION)
@ShortNames(ScanOrderApi.MENU_SHORT_NAME)
@AdditionalPrinterColumn(
        name = "ITEMS",
        jsonPath = ".status.itemCount",
        type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(
        name = "VALID",
        jsonPath = ".status.conditions[?(@.type==\"Valid\")].status")
@AdditionalPrinterColumn(name = "REVISION", jsonPath = ".status.revisionHash")
@AdditionalPrinterColumn(
        name = "AGE",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class Menu extends CustomResource<MenuSpec, MenuStatus> implements Namespaced {}
