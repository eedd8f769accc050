package io.scanorder.order.table;

/**
 * A registered, enabled table as the diner API shows it after a scan.
 *
 * @param storeCode three digits
 * @param storeName display name of the store
 * @param areaCode four digits
 * @param areaName display name of the area
 * @param tableNo four digits
 * @param seats seats at the table
 * @param tableCode the 12-digit table code
 */
public record TableInfo(
        String storeCode,
        String storeName,
        String areaCode,
        String areaName,
        String tableNo,
        int seats,
        String tableCode) {}
