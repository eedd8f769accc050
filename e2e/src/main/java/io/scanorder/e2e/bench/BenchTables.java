package io.scanorder.e2e.bench;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.Result;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.multi.qrcode.QRCodeMultiReader;
import io.scanorder.crds.v1alpha1.MenuItem;
import io.scanorder.e2e.ExampleManifests;
import io.scanorder.e2e.LocalPlatform;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What the diner-facing scenarios order with: the signed table scenes printed on the example
 * store's QR sheet (as diners scan them) and a dish that is always on sale.
 */
final class BenchTables {
    /** Digits of a table code at the start of a scene. */
    private static final int TABLE_CODE_LENGTH = 12;

    private BenchTables() {}

    /** Every table scene on the store's QR sheet ({@code GET .../qr-sheet.png}), sorted. */
    static List<String> scenes(LocalPlatform platform) throws Exception {
        String url = platform.qrSheetImageUrl();
        BufferedImage sheet = platform.qrSheetImage();
        int w = sheet.getWidth();
        int h = sheet.getHeight();
        BinaryBitmap bitmap =
                new BinaryBitmap(
                        new HybridBinarizer(
                                new RGBLuminanceSource(
                                        w, h, sheet.getRGB(0, 0, w, h, null, 0, w))));
        Result[] codes;
        try {
            codes =
                    new QRCodeMultiReader()
                            .decodeMultiple(
                                    bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE));
        } catch (NotFoundException e) {
            throw new IllegalStateException("no QR code found on " + url, e);
        }
        TreeSet<String> scenes = new TreeSet<>();
        for (Result code : codes) {
            String payload = code.getText();
            int at = payload.indexOf("scene=");
            if (at >= 0) {
                scenes.add(payload.substring(at + "scene=".length()));
            }
        }
        if (scenes.isEmpty()) {
            throw new IllegalStateException(
                    "the " + codes.length + " QR codes on " + url + " hold no scene=");
        }
        return new ArrayList<>(scenes);
    }

    /** The 12-digit table code a scene signs (its first characters). */
    static String tableCode(String scene) {
        return scene.substring(0, TABLE_CODE_LENGTH);
    }

    /** A SKU of the first dish that is always on sale (no time windows, not sold out). */
    static String orderableSku(ExampleManifests examples) {
        return orderableSku(examples, null);
    }

    /**
     * A SKU of the first dish of {@code station} (any station when null) that is always on sale.
     */
    static String orderableSku(ExampleManifests examples, String station) {
        for (MenuItem item : examples.menu().getSpec().getItems()) {
            if ((station == null || station.equals(item.getStation()))
                    && (item.getAvailability() == null || item.getAvailability().isEmpty())
                    && !Boolean.TRUE.equals(item.getSoldOut())
                    && item.getSkus() != null
                    && !item.getSkus().isEmpty()) {
                return item.getSkus().get(0).getSkuCode();
            }
        }
        throw new IllegalStateException(
                "menu "
                        + examples.menu().getMetadata().getName()
                        + " has no dish that is always on sale"
                        + (station == null ? "" : " at station " + station));
    }
}
