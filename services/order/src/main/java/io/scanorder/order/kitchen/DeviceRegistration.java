package io.scanorder.order.kitchen;

import java.util.List;

/**
 * What the operator registers for one KitchenDevice (validated by {@link KitchenDevices}).
 *
 * @param storeCode 3-digit store code
 * @param deviceId device id (MQTT client id and topic segment)
 * @param type PRINTER, KDS_TABLET or LED_BOARD
 * @param role PRIMARY or BACKUP
 * @param stations stations served, at least one
 * @param heartbeatIntervalSeconds 1-300
 * @param paperWidthMm 58 or 80 for printers, else null
 * @param copies copies per ticket 1-3 (printers)
 * @param cutter whether the printer cuts
 */
public record DeviceRegistration(
        String storeCode,
        String deviceId,
        String type,
        String role,
        List<String> stations,
        int heartbeatIntervalSeconds,
        Integer paperWidthMm,
        int copies,
        boolean cutter) {}
