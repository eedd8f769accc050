package io.scanorder.crds.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.PrinterColumnFormat;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * One restaurant of a brand (the namespace is the brand): tables, kitchen stations, payment and
 * serving settings. The operator turns it into the store configuration and services.
 */
@Group(ScanOrderApi.GROUP)
@Version(ScanOrderApi.VERSION)
@ShortNames(ScanOrderApi.STORE_SHORT_NAME)
@AdditionalPrinterColumn(
        name = "READY",
        jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
        getDescription = "Status of the Ready condition")
@AdditionalPrinterColumn(
        name = "TABLES",
        jsonPath = ".status.tableCount",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Number of tables over all areas")
@AdditionalPrinterColumn(
        name = "DEVICES ONLINE",
        jsonPath = ".status.devicesOnline",
        type = AdditionalPrinterColumn.Type.INTEGER,
        getDescription = "Kitchen devices currently online")
@AdditionalPrinterColumn(
        name = "AGE",
        jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE,
        format = PrinterColumnFormat.NONE)
public class Store extends CustomResource<StoreSpec, StoreStatus> implements Namespaced {}
