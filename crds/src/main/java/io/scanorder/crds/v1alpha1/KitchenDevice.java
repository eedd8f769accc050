package io.scanorder.crds.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A printer, KDS tablet or LED pickup board in a store's kitchen. The operator issues its MQTT
 * credentials; the status mirrors the health the order service observes.
 */
@Group(ScanOrderApi.GROUP)
@Version(ScanOrderApi.VERSION)
@ShortNames(ScanOrderApi.KITCHEN_DEVICE_SHORT_NAME)
@AdditionalPrinterColumn(name = "TYPE", jsonPath = ".spec.type")
@AdditionalPrinterColumn(name = "STATION", jsonPath = ".spec.stations")
@AdditionalPrinterColumn(name = "ROLE", jsonPath = ".spec.role", priority = 1)
@AdditionalPrinterColumn(name = "PHASE", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "PAPER", jsonPath = ".status.paper")
@AdditionalPrinterColumn(
        name = "LAST SEEN",
        jsonPath = ".status.lastHeartbeat",
        type = AdditionalPrinterColumn.Type.DATE)
public class KitchenDevice extends CustomResource<KitchenDeviceSpec, KitchenDeviceStatus>
        implements Namespaced {}
