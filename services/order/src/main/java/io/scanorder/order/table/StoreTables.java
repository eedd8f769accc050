package io.scanorder.order.table;

import java.util.List;

/**
 * The desired areas and tables of one store, as the operator will push them from the Store spec.
 * {@link TableRegistry#register} makes the database match: tables missing here are disabled.
 *
 * @param storeCode three digits
 * @param name display name printed on QR labels
 * @param areas the store's dining areas
 */
public record StoreTables(String storeCode, String name, List<Area> areas) {
    public StoreTables {
        areas = areas == null ? null : List.copyOf(areas);
    }

    /**
     * One dining area.
     *
     * @param code four digits
     * @param name display name, e.g. "Main hall"
     * @param seats seats per table (1..99)
     * @param tableNumbers table numbers, each 1..9999 and unique within the area
     */
    public record Area(String code, String name, int seats, List<Integer> tableNumbers) {
        public Area {
            tableNumbers = tableNumbers == null ? null : List.copyOf(tableNumbers);
        }
    }
}
