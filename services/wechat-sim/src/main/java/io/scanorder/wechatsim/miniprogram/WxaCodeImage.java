package io.scanorder.wechatsim.miniprogram;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Draws a simulated mini-program code: a square PNG of the requested width holding a standard QR
 * code of {@link WxaCodeContent#toText()}, in the line colour on white (or on a transparent
 * background for {@code is_hyaline}). Real WeChat draws a round "sun code" that only WeChat can
 * read; a QR code lets tests decode what the code would open.
 */
final class WxaCodeImage {
    private static final int AUTO_COLOUR = 0x1AAD19; // WeChat green, for auto_color
    private static final int QUIET_ZONE = 4;

    private WxaCodeImage() {}

    static byte[] png(WxaCodeContent content, WxaCodeRequest request) {
        BitMatrix matrix = matrix(content.toText());
        int width = request.width();
        int module = Math.max(1, width / matrix.getWidth());
        int offset = (width - module * matrix.getWidth()) / 2;
        int dark = 0xFF000000 | (request.autoColor() ? AUTO_COLOUR : request.lineRgb());
        int light = request.hyaline() ? 0x00FFFFFF : 0xFFFFFFFF;
        BufferedImage image = new BufferedImage(width, width, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < width; y++) {
            for (int x = 0; x < width; x++) {
                int mx = (x - offset) / module;
                int my = (y - offset) / module;
                boolean on =
                        x >= offset
                                && y >= offset
                                && mx < matrix.getWidth()
                                && my < matrix.getHeight()
                                && matrix.get(mx, my);
                image.setRGB(x, y, on ? dark : light);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the mini-program code as PNG", e);
        }
        return out.toByteArray();
    }

    private static BitMatrix matrix(String text) {
        try {
            // Size 0 gives one pixel per module; png() scales by whole pixels to stay sharp.
            return new QRCodeWriter()
                    .encode(
                            text,
                            BarcodeFormat.QR_CODE,
                            0,
                            0,
                            Map.of(
                                    EncodeHintType.ERROR_CORRECTION,
                                    ErrorCorrectionLevel.M,
                                    EncodeHintType.MARGIN,
                                    QUIET_ZONE));
        } catch (WriterException e) {
            throw new IllegalStateException("cannot encode '" + text + "' as a QR code", e);
        }
    }
}
