package io.scanorder.order.store;

import java.util.List;

/**
 * The order-side content of a Store resource as {@code StoreAdmin/ApplyStore} carries it. Record
 * component names are the contract's lowerCamelCase field names: {@link StoreCanonical} writes them
 * as the canonical JSON the content hash is taken of.
 *
 * @param storeCode three digits
 * @param name display name
 * @param timezone IANA zone id
 * @param areas dining areas with their tables
 * @param stations kitchen station names; empty accepts any station in menus
 * @param paymentTimeoutSeconds unpaid orders close after this; 0 = the service default
 * @param maxOrderAmountFen largest order total; 0 = no limit
 */
public record StoreContent(
        String storeCode,
        String name,
        String timezone,
        List<Area> areas,
        List<String> stations,
        int paymentTimeoutSeconds,
        long maxOrderAmountFen) {
    public StoreContent {
        areas = areas == null ? List.of() : List.copyOf(areas);
        stations = stations == null ? List.of() : List.copyOf(stations);
    }

    /**
     * One dining area.
     *
     * @param areaCode four digits
     * @param name display name
     * @param seats seats per table
     * @param tableNumbers table numbers
     */
    public record Area(String areaCode, String name, int seats, List<Integer> tableNumbers) {
        public Area {
            tableNumbers = tableNumbers == null ? List.of() : List.copyOf(tableNumbers);
        }
    }
}
