package io.scanorder.order.table;

import java.util.List;

/**
 * What a printable QR sheet shows: one label per enabled table, in area and table order.
 *
 * @param storeCode three digits
 * @param storeName printed on every label
 * @param labels the tables to print
 */
public record QrSheet(String storeCode, String storeName, List<Label> labels) {
    public QrSheet {
        labels = List.copyOf(labels);
    }

    /**
     * One table's label.
     *
     * @param table the table
     * @param scene signed scene with the store's current key
     * @param payload what the QR code encodes: the mini-program page with the scene
     */
    public record Label(TableInfo table, String scene, String payload) {}
}
