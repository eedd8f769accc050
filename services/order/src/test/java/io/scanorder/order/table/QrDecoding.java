package io.scanorder.order.table;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.ChecksumException;
import com.google.zxing.DecodeHintType;
import com.google.zxing.FormatException;
import com.google.zxing.LuminanceSource;
import com.google.zxing.NotFoundException;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.GlobalHistogramBinarizer;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/** Reads QR sheets back the way a phone would: from pixels, with ZXing's reader. */
final class QrDecoding {
    /**
     * Renders so that one pixel of the card image becomes exactly two device pixels: QR modules
     * then land on whole pixels, as on a printer, instead of being resampled at a fractional scale.
     */
    private static final float PDF_DPI =
            72f * 2 * QrSheetRenderer.CARD_WIDTH / QrSheetRenderer.pdfCell(0).width();

    private QrDecoding() {}

    /** The payloads of the first {@code count} cards of a PNG sheet, in card order. */
    static List<String> decodePng(byte[] png, int count) throws IOException {
        BufferedImage sheet = ImageIO.read(new ByteArrayInputStream(png));
        List<String> payloads = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Rectangle cell = QrSheetRenderer.pngCell(i);
            payloads.add(decode(sheet.getSubimage(cell.x, cell.y, cell.width, cell.height)));
        }
        return payloads;
    }

    /**
     * The payloads of the first {@code count} cards of a PDF sheet, rendered at {@link #PDF_DPI}.
     */
    static List<String> decodePdf(byte[] pdf, int count) throws IOException {
        List<String> payloads = new ArrayList<>();
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            PDFRenderer renderer = new PDFRenderer(doc);
            BufferedImage page = null;
            int pageIndex = -1;
            for (int i = 0; i < count; i++) {
                QrSheetRenderer.PdfCell cell = QrSheetRenderer.pdfCell(i);
                if (cell.page() != pageIndex) {
                    pageIndex = cell.page();
                    page = renderer.renderImageWithDPI(pageIndex, PDF_DPI, ImageType.GRAY);
                }
                float scale = PDF_DPI / 72f;
                float pageHeight = doc.getPage(pageIndex).getMediaBox().getHeight();
                int x = Math.round(cell.x() * scale);
                int y = Math.round((pageHeight - cell.y() - cell.height()) * scale);
                int w = Math.min(Math.round(cell.width() * scale), page.getWidth() - x);
                int h = Math.min(Math.round(cell.height() * scale), page.getHeight() - y);
                payloads.add(decode(page.getSubimage(x, y, w, h)));
            }
        }
        return payloads;
    }

    static int pdfPageCount(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return doc.getNumberOfPages();
        }
    }

    /** The scene in a QR payload {@code page?scene=...}. */
    static String sceneOf(String payload) {
        return payload.substring(payload.indexOf("?scene=") + "?scene=".length());
    }

    /**
     * Decodes the card's code as a phone would, trying both of zxing's binarizers: the local
     * (hybrid) one can miss a finder pattern next to the card's text, the global one does not.
     */
    private static String decode(BufferedImage image) {
        LuminanceSource source = new BufferedImageLuminanceSource(image);
        Map<DecodeHintType, Object> hints = Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE);
        List<Exception> failures = new ArrayList<>();
        for (BinaryBitmap bitmap :
                List.of(
                        new BinaryBitmap(new HybridBinarizer(source)),
                        new BinaryBitmap(new GlobalHistogramBinarizer(source)))) {
            try {
                return new QRCodeReader().decode(bitmap, hints).getText();
            } catch (NotFoundException | ChecksumException | FormatException e) {
                failures.add(e);
            }
        }
        throw new AssertionError("no readable QR code in the card: " + failures);
    }
}
