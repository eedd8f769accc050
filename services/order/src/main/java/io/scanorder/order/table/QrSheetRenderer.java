package io.scanorder.order.table;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * Draws printable QR sheets: one card per table with its QR code, the store name, area, table
 * number and the human-readable 12-digit code. Cards are drawn once with Java2D (so store and area
 * names in any script the system fonts cover come out right) and laid out as a PNG grid or on A4
 * PDF pages. The cell positions are public so tests and print tools can cut cards out.
 */
public final class QrSheetRenderer {
    /** Card size in pixels. */
    public static final int CARD_WIDTH = 480;

    public static final int CARD_HEIGHT = 640;

    /** Cards per row in a PNG sheet. */
    public static final int PNG_COLUMNS = 4;

    /** Cards per PDF page: 3 columns by 4 rows on A4. */
    public static final int PDF_COLUMNS = 3;

    public static final int PDF_ROWS = 4;

    private static final float PDF_CELL_WIDTH = 180f;
    private static final float PDF_CELL_HEIGHT = 200f;
    private static final float PDF_CARD_PADDING = 6f;
    private static final int QR_TOP = 16;
    private static final int QR_MAX = 440;

    private QrSheetRenderer() {}

    /** A card's place on a PDF page, in PDF points with the origin at the lower left. */
    public record PdfCell(int page, float x, float y, float width, float height) {}

    /** One table's card with a QR code of the label's payload. */
    public static BufferedImage card(String storeName, QrSheet.Label label) {
        return card(storeName, label, qrCode(label));
    }

    /**
     * One table's card around the given code image (a QR code, or WeChat's mini-program code),
     * drawn at the top: at its own size when it fits 440 pixels, else scaled down.
     */
    public static BufferedImage card(String storeName, QrSheet.Label label, BufferedImage code) {
        BufferedImage img =
                new BufferedImage(CARD_WIDTH, CARD_HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, CARD_WIDTH, CARD_HEIGHT);
            // A light cut line around the card.
            g.setColor(new Color(200, 200, 200));
            g.drawRect(0, 0, CARD_WIDTH - 1, CARD_HEIGHT - 1);

            double scale =
                    Math.min(1.0, (double) QR_MAX / Math.max(code.getWidth(), code.getHeight()));
            int codeWidth = (int) Math.floor(code.getWidth() * scale);
            int size = (int) Math.floor(code.getHeight() * scale);
            // A transparent code background must print white, not as the gray default.
            g.drawImage(
                    code, (CARD_WIDTH - codeWidth) / 2, QR_TOP, codeWidth, size, Color.WHITE, null);

            g.setRenderingHint(
                    RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            TableInfo t = label.table();
            int y = QR_TOP + size + 8;
            y = centred(g, new Font(Font.SANS_SERIF, Font.BOLD, 30), storeName, y);
            y = centred(g, new Font(Font.SANS_SERIF, Font.PLAIN, 26), t.areaName(), y + 8);
            y =
                    centred(
                            g,
                            new Font(Font.SANS_SERIF, Font.BOLD, 34),
                            "Table " + tableNumber(t),
                            y + 10);
            centred(
                    g,
                    new Font(Font.MONOSPACED, Font.PLAIN, 24),
                    TableCode.parse(t.tableCode()).humanReadable(),
                    y + 10);
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * A QR code of the label's payload, whole pixels per module (sharp for scanners) and at most
     * 440 pixels wide.
     */
    public static BufferedImage qrCode(QrSheet.Label label) {
        BitMatrix matrix = qr(label.payload());
        int module = Math.max(1, QR_MAX / matrix.getWidth());
        int size = module * matrix.getWidth();
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            g.setColor(Color.BLACK);
            for (int y = 0; y < matrix.getHeight(); y++) {
                for (int x = 0; x < matrix.getWidth(); x++) {
                    if (matrix.get(x, y)) {
                        g.fillRect(x * module, y * module, module, module);
                    }
                }
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /** The sheet as one PNG with QR codes: {@link #PNG_COLUMNS} cards per row. */
    public static byte[] png(QrSheet sheet) {
        return png(sheet, QrSheetRenderer::qrCode);
    }

    /** The sheet as one PNG with each label's code from {@code codes}. */
    public static byte[] png(QrSheet sheet, Function<QrSheet.Label, BufferedImage> codes) {
        List<QrSheet.Label> labels = sheet.labels();
        int columns = Math.min(PNG_COLUMNS, labels.size());
        int rows = (labels.size() + PNG_COLUMNS - 1) / PNG_COLUMNS;
        BufferedImage img =
                new BufferedImage(
                        columns * CARD_WIDTH, rows * CARD_HEIGHT, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, img.getWidth(), img.getHeight());
            for (int i = 0; i < labels.size(); i++) {
                Rectangle cell = pngCell(i);
                g.drawImage(
                        card(sheet.storeName(), labels.get(i), codes.apply(labels.get(i))),
                        cell.x,
                        cell.y,
                        null);
            }
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode QR sheet as PNG", e);
        }
        return out.toByteArray();
    }

    /** Where card {@code index} sits in the PNG sheet, in pixels. */
    public static Rectangle pngCell(int index) {
        return new Rectangle(
                (index % PNG_COLUMNS) * CARD_WIDTH,
                (index / PNG_COLUMNS) * CARD_HEIGHT,
                CARD_WIDTH,
                CARD_HEIGHT);
    }

    /** The sheet as a PDF of A4 pages, {@link #PDF_COLUMNS} x {@link #PDF_ROWS} cards a page. */
    public static byte[] pdf(QrSheet sheet) {
        return pdf(sheet, QrSheetRenderer::qrCode);
    }

    /** As {@link #pdf(QrSheet)}, with each label's code from {@code codes}. */
    public static byte[] pdf(QrSheet sheet, Function<QrSheet.Label, BufferedImage> codes) {
        List<QrSheet.Label> labels = sheet.labels();
        try (PDDocument doc = new PDDocument()) {
            doc.getDocumentInformation().setTitle("Table QR codes of store " + sheet.storeCode());
            int perPage = PDF_COLUMNS * PDF_ROWS;
            for (int first = 0; first < labels.size(); first += perPage) {
                PDPage page = new PDPage(PDRectangle.A4);
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    for (int i = first; i < Math.min(labels.size(), first + perPage); i++) {
                        PDImageXObject image =
                                LosslessFactory.createFromImage(
                                        doc,
                                        card(
                                                sheet.storeName(),
                                                labels.get(i),
                                                codes.apply(labels.get(i))));
                        PdfCell cell = pdfCell(i);
                        content.drawImage(image, cell.x(), cell.y(), cell.width(), cell.height());
                    }
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write QR sheet PDF", e);
        }
    }

    /** Where card {@code index} is drawn in the PDF. */
    public static PdfCell pdfCell(int index) {
        PDRectangle a4 = PDRectangle.A4;
        int perPage = PDF_COLUMNS * PDF_ROWS;
        int onPage = index % perPage;
        int column = onPage % PDF_COLUMNS;
        int row = onPage / PDF_COLUMNS;
        float marginX = (a4.getWidth() - PDF_COLUMNS * PDF_CELL_WIDTH) / 2;
        float marginY = (a4.getHeight() - PDF_ROWS * PDF_CELL_HEIGHT) / 2;
        float scale =
                Math.min(
                        (PDF_CELL_WIDTH - 2 * PDF_CARD_PADDING) / CARD_WIDTH,
                        (PDF_CELL_HEIGHT - 2 * PDF_CARD_PADDING) / CARD_HEIGHT);
        float width = CARD_WIDTH * scale;
        float height = CARD_HEIGHT * scale;
        float cellLeft = marginX + column * PDF_CELL_WIDTH;
        // PDF y grows upwards: row 0 is the top row.
        float cellBottom = a4.getHeight() - marginY - (row + 1) * PDF_CELL_HEIGHT;
        return new PdfCell(
                index / perPage,
                cellLeft + (PDF_CELL_WIDTH - width) / 2,
                cellBottom + (PDF_CELL_HEIGHT - height) / 2,
                width,
                height);
    }

    private static BitMatrix qr(String payload) {
        try {
            // Width 0 gives one pixel per module; the card scales it by whole pixels.
            return new QRCodeWriter()
                    .encode(
                            payload,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.M,
                                    EncodeHintType.MARGIN,
                                    4));
        } catch (WriterException e) {
            throw new IllegalArgumentException("cannot encode QR payload '" + payload + "'", e);
        }
    }

    private static String tableNumber(TableInfo t) {
        return Integer.toString(Integer.parseInt(t.tableNo()));
    }

    /** Draws {@code text} centred at baseline {@code y}, shortened to fit; returns the baseline. */
    private static int centred(Graphics2D g, Font font, String text, int y) {
        g.setFont(font);
        FontMetrics fm = g.getFontMetrics();
        String shown = text;
        int max = CARD_WIDTH - 24;
        while (fm.stringWidth(shown) > max && shown.length() > 1) {
            shown = shown.substring(0, shown.length() - 2) + "…";
        }
        int baseline = y + fm.getAscent();
        g.setColor(Color.BLACK);
        g.drawString(shown, (CARD_WIDTH - fm.stringWidth(shown)) / 2, baseline);
        return baseline + fm.getDescent();
    }
}
